/** One function or method found in the repository. Lines are 1-based and inclusive. */
export interface FunctionRecord {
  id: string;
  file: string;
  name: string;
  qualifiedName: string;
  language: LanguageId;
  startLine: number;
  endLine: number;
  signature: string;
  /** Ids of gathered functions this one calls. */
  calls: string[];
}

export type LanguageId =
  | 'python'
  | 'typescript'
  | 'tsx'
  | 'javascript'
  | 'go'
  | 'rust'
  | 'java'
  | 'csharp'
  | 'cpp'
  | 'c'
  | 'ruby'
  | 'php';

export type SkipReason =
  | 'test-code'
  | 'vendored'
  | 'generated'
  | 'minified'
  | 'binary'
  | 'too-large'
  | 'unsupported-language'
  | 'language-not-selected'
  | 'excluded-by-glob'
  | 'not-included-by-glob'
  | 'unreadable'
  | 'symbolic-link'
  | 'parse-failed';

export interface SkippedFile {
  file: string;
  reason: SkipReason;
  detail?: string;
}

export interface ScanOptions {
  /** Globs (repository-relative); when given, only matching files are scanned and default skip rules do not apply to them. */
  include?: string[];
  /** Globs (repository-relative) that are never scanned. */
  exclude?: string[];
  /** Restrict to these languages (ids or short codes such as py, ts, rs). */
  languages?: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileBytes?: number;
  /** Worker threads for parsing; 0 parses on the calling thread. Default: automatic. */
  workers?: number;
  /** Folder for the parse cache (outside the repository); no cache when absent. */
  cacheDir?: string;
}

export interface ScanResult {
  root: string;
  functions: FunctionRecord[];
  skipped: SkippedFile[];
  /** Files whose functions were gathered. */
  filesScanned: number;
  /** Files that parsed with syntax errors (their recoverable functions are still listed). */
  filesWithErrors: string[];
  ms: number;
}

/** What parsing one file yields before call names are resolved to ids. */
export interface ParsedFunction {
  name: string;
  qualifiedName: string;
  startLine: number;
  endLine: number;
  signature: string;
  callNames: string[];
}

export interface ParsedFile {
  file: string;
  language: LanguageId;
  functions: ParsedFunction[];
  /** Identifier-like words from the file's import statements, used to prefer imported modules when resolving calls. */
  importWords: string[];
  hasErrors: boolean;
}
