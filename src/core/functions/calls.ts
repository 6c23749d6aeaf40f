import type { FunctionRecord, LanguageId, ParsedFile } from './types';

function dirOf(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

function folderOf(file: string): string {
  return dirOf(file).split('/').pop() ?? '';
}

function stemOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot < 0 ? base : base.slice(0, dot);
}

/** Files named like these stand for their folder: `pkg/__init__.py`, `lib/index.ts`, `src/mod.rs`. */
const FOLDER_FILES = new Set(['__init__', 'index', 'mod', 'main', 'lib']);

function moduleWord(file: string): string {
  const stem = stemOf(file);
  return FOLDER_FILES.has(stem) ? folderOf(file) : stem;
}

/** The scope a function sits in: `Point` for `Point.new`, '' at top level. */
function ownerOf(qualifiedName: string): string {
  const parts = qualifiedName.split('.');
  return parts.length > 1 ? parts[parts.length - 2] : '';
}

function sharedPrefix(a: string, b: string): number {
  const x = a.split('.');
  const y = b.split('.');
  let n = 0;
  while (n < x.length - 1 && n < y.length - 1 && x[n] === y[n]) n++;
  return n;
}

/** Receivers that mean "this object or its class": the caller's own scope is the place to look. */
const SELF_WORDS = new Set(['self', 'this', 'cls', 'super', 'base', 'Self', 'static', 'parent']);
/** More candidates than this for one call are a guess, not an edge. */
const MAX_TARGETS = 3;

interface CallSite {
  /** The word before the dot of `x.f()` or `X::f()`; '' for a plain call or a receiver that is not a chain of words. */
  receiver: string;
  /** The first word of the receiver chain: `os` in `os.path.join()`. */
  root: string;
  /** Every word of the receiver chain. */
  chain: string[];
  member: boolean;
  /** `X::f()`: the receiver names a type, module or namespace, never a variable. */
  path: boolean;
  name: string;
}

/** extract.ts records `name` for a plain call, `receiver.name` for a call on something and `receiver::name` for a path. */
function parseCall(text: string): CallSite {
  const colons = text.lastIndexOf('::');
  const dot = text.lastIndexOf('.');
  if (colons < 0 && dot < 0) return { receiver: '', root: '', chain: [], member: false, path: false, name: text };
  const path = colons >= 0;
  const chain = text.slice(0, path ? colons : dot).split('.').filter(Boolean);
  return { receiver: chain[chain.length - 1] ?? '', root: chain[0] ?? '', chain, member: true, path, name: text.slice(path ? colons + 2 : dot + 1) };
}

interface Context {
  caller: FunctionRecord;
  language: LanguageId;
  file: string;
  dir: string;
  imports: Set<string>;
}

/**
 * Resolves called names to gathered functions: the same file first (the candidate sharing the
 * most enclosing scopes with the caller), then modules the file imports (by module name, then by
 * folder), then the same folder, then a name that only one function in the repository has.
 * What a call looks like narrows this: `Point::new()` goes to Point's `new` and `Vec::new()`
 * nowhere; `fs.readFileSync()` with `fs` imported goes to a module of ours named fs or nowhere;
 * `x.f()` is a method, and for everyone's names (`items.push()`) or unknown objects only this
 * file's own; `str()` is a builtin; a plain call never reaches another file's nested function,
 * nor, where imports name what they bring, a module function it did not import.
 * Unresolvable names give no edge; no function calls itself.
 */
export function resolveCalls(parsed: ParsedFile[], records: Map<ParsedFile, FunctionRecord[]>): void {
  // visibleByName leaves out functions nested in another function: only their own file sees them.
  const byName = new Map<string, FunctionRecord[]>();
  const visibleByName = new Map<string, FunctionRecord[]>();
  const add = (map: Map<string, FunctionRecord[]>, fn: FunctionRecord) => {
    const bucket = map.get(fn.name);
    if (bucket) bucket.push(fn);
    else map.set(fn.name, [fn]);
  };
  for (const list of records.values()) {
    const functionNames = new Set(list.map((fn) => fn.qualifiedName));
    for (const fn of list) {
      add(byName, fn);
      const owner = fn.qualifiedName.slice(0, Math.max(0, fn.qualifiedName.length - fn.name.length - 1));
      if (!functionNames.has(owner)) add(visibleByName, fn);
    }
  }
  for (const file of parsed) {
    const imports = new Set(file.importWords);
    const list = records.get(file)!;
    const dir = dirOf(file.file);
    file.functions.forEach((pf, i) => {
      const caller = list[i];
      const context: Context = { caller, language: file.language, file: file.file, dir, imports };
      const edges = new Set<string>();
      for (const text of pf.callNames) {
        const call = parseCall(text);
        const candidates = (byName.get(call.name) ?? []).filter((c) => c.file === file.file).concat(
          (visibleByName.get(call.name) ?? []).filter((c) => c.file !== file.file),
        );
        for (const target of pick(candidates, call, context)) {
          if (target.id !== caller.id) edges.add(target.id);
        }
      }
      caller.calls = [...edges];
    });
  }
}

function pick(candidates: FunctionRecord[], call: CallSite, ctx: Context): FunctionRecord[] {
  const { receiver } = call;
  if (receiver && !SELF_WORDS.has(receiver)) {
    const owned = candidates.filter((c) => ownerOf(c.qualifiedName) === receiver);
    if (owned.length) return owned.length <= MAX_TARGETS ? owned : [];
    // An imported name at the root of the receiver is a module: ours, or a library's (then no edge).
    if (ctx.imports.has(call.root) && !SELF_WORDS.has(call.root)) {
      const inModule = candidates.filter((c) => call.chain.includes(moduleWord(c.file)) || call.chain.includes(folderOf(c.file)));
      return inModule.length <= MAX_TARGETS ? inModule : [];
    }
    // `Vec::new()`: a type we did not gather.
    if (call.path) return [];
  }
  // Past the module rules, `x.f()` calls a method: a top-level function of the same name is not it.
  if (call.member) candidates = candidates.filter((c) => ownerOf(c.qualifiedName) !== '');
  // Where a plain `f()` cannot reach a method (no implicit `this`), another file's methods are not it.
  else if (PLAIN_CALLS_REACH_FUNCTIONS_ONLY.has(ctx.language)) candidates = candidates.filter((c) => c.file === ctx.file || ownerOf(c.qualifiedName) === '');
  const sameFile = candidates.filter((c) => c.file === ctx.file);
  // `', '.join(x)`, `make().get()`, `items.push(x)`: the object is unknown and the name is everyone's,
  // so only this file's own definition is a safe guess.
  if (call.member && (!receiver || COMMON_METHODS.has(call.name)) && !sameFile.length) return [];
  if (sameFile.length) {
    let best = sameFile[0];
    let bestScore = -1;
    for (const c of sameFile) {
      const score = sharedPrefix(c.qualifiedName, ctx.caller.qualifiedName);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return [best];
  }
  // A builtin (`str()`, `len()`) is not some other file's function of that name.
  if (!call.member && BUILTINS[ctx.language]?.has(call.name)) return [];
  // A module named in an import (`from pkg import b`, `./util`) beats a whole imported folder
  // (`from pkg import compute`, a Go package path), which beats the rest of the repository.
  // Where imports name what they bring (`from functools import partial`), a plain call must be one of those names.
  if (!call.member && NAMED_IMPORTS.has(ctx.language) && !ctx.imports.has(call.name)) return sameDirOrUnique(candidates, call, ctx);
  const byModule = candidates.filter((c) => ctx.imports.has(moduleWord(c.file)));
  if (byModule.length && byModule.length <= MAX_TARGETS) return byModule;
  const byFolder = candidates.filter((c) => ctx.imports.has(folderOf(c.file)));
  if (byFolder.length && byFolder.length <= MAX_TARGETS) return byFolder;
  return sameDirOrUnique(candidates, call, ctx);
}

function sameDirOrUnique(candidates: FunctionRecord[], call: CallSite, ctx: Context): FunctionRecord[] {
  const sameDir = candidates.filter((c) => dirOf(c.file) === ctx.dir);
  if (sameDir.length === 1) return sameDir;
  return !call.member && candidates.length === 1 ? candidates : [];
}

const NAMED_IMPORTS = new Set<LanguageId>(['python', 'javascript', 'typescript', 'tsx', 'rust']);

const PLAIN_CALLS_REACH_FUNCTIONS_ONLY = new Set<LanguageId>(['python', 'javascript', 'typescript', 'tsx', 'go', 'c', 'php']);

/** Methods of the standard strings, lists, maps, streams and promises of the supported languages. */
const COMMON_METHODS = new Set([
  'add', 'append', 'apply', 'bind', 'call', 'catch', 'clear', 'clone', 'close', 'concat', 'contains', 'copy', 'count', 'decode', 'delete', 'encode',
  'endswith', 'endsWith', 'entries', 'equals', 'extend', 'filter', 'find', 'flush', 'forEach', 'format', 'get', 'has', 'hashCode', 'includes', 'index',
  'indexOf', 'insert', 'items', 'join', 'keys', 'length', 'lower', 'map', 'next', 'pop', 'push', 'put', 'read', 'reduce', 'remove', 'replace', 'reverse',
  'rstrip', 'lstrip', 'send', 'set', 'shift', 'size', 'slice', 'sort', 'splice', 'split', 'startswith', 'startsWith', 'strip', 'then', 'toString',
  'trim', 'unwrap', 'update', 'upper', 'values', 'write',
]);

const JS_BUILTINS = [
  'Array', 'Boolean', 'Date', 'Error', 'Map', 'Number', 'Object', 'Promise', 'RegExp', 'Set', 'String', 'Symbol', 'clearTimeout', 'fetch', 'parseFloat',
  'parseInt', 'require', 'setInterval', 'setTimeout',
];
const C_BUILTINS = ['free', 'malloc', 'calloc', 'realloc', 'memcpy', 'memset', 'printf', 'fprintf', 'sprintf', 'snprintf', 'strlen', 'strcmp', 'exit'];

/** Names a program of that language calls without defining them; a lone definition elsewhere does not make them ours. */
const BUILTINS: Partial<Record<LanguageId, Set<string>>> = {
  python: new Set([
    'abs', 'all', 'any', 'bin', 'bool', 'bytearray', 'bytes', 'callable', 'chr', 'classmethod', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval',
    'exec', 'exit', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'hex', 'id', 'input', 'int', 'isinstance',
    'issubclass', 'iter', 'len', 'list', 'locals', 'map', 'max', 'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'range',
    'repr', 'reversed', 'round', 'set', 'setattr', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip',
  ]),
  javascript: new Set(JS_BUILTINS),
  typescript: new Set(JS_BUILTINS),
  tsx: new Set(JS_BUILTINS),
  go: new Set(['append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new', 'panic', 'print', 'println', 'real', 'recover']),
  c: new Set(C_BUILTINS),
  cpp: new Set(C_BUILTINS),
};
