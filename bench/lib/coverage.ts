import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { patternText, type CtagsTag } from './ctags';
import { inSpans, type LineSpan } from './syntax-errors';

/** What the comparison needs of one of our functions (a subset of the scan's FunctionRecord). */
export interface OurFunction {
  file: string;
  name: string;
  qualifiedName: string;
  startLine: number;
  endLine: number;
}

export interface Match<F extends OurFunction> {
  matched: { tag: CtagsTag; ours: F }[];
  misses: CtagsTag[];
  /** Our functions no ctags entry matched. */
  oursOnly: F[];
}

/**
 * Pairs each ctags entry with one of our functions of the same file and name whose line range
 * holds the ctags line (ctags points at the `def`/name line, we may start earlier at decorators
 * or an `export` keyword). Among several, the innermost (latest start) is taken, and each of ours
 * pairs at most once, so overloads and same-named nested functions are not counted twice.
 */
export function matchFunctions<F extends OurFunction>(ours: F[], tags: CtagsTag[]): Match<F> {
  const byKey = new Map<string, F[]>();
  for (const fn of ours) {
    const key = `${fn.file}\0${fn.name}`;
    const list = byKey.get(key);
    if (list) list.push(fn);
    else byKey.set(key, [fn]);
  }
  const used = new Set<F>();
  const matched: { tag: CtagsTag; ours: F }[] = [];
  const misses: CtagsTag[] = [];
  // Inner definitions first, so an outer function of the same name is left for its own tag.
  const ordered = [...tags].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : b.line - a.line));
  for (const tag of ordered) {
    let best: F | undefined;
    for (const fn of byKey.get(`${tag.path}\0${tag.name}`) ?? []) {
      if (used.has(fn) || tag.line < fn.startLine || tag.line > fn.endLine) continue;
      if (!best || fn.startLine > best.startLine) best = fn;
    }
    if (best) {
      used.add(best);
      matched.push({ tag, ours: best });
    } else {
      misses.push(tag);
    }
  }
  misses.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return { matched, misses, oursOnly: ours.filter((fn) => !used.has(fn)) };
}

/**
 * Why a ctags entry has no counterpart among ours:
 * - `function`: a definition with code that we did not gather although it parses: a query gap;
 * - `parse-error`: a definition inside a region our grammar could only parse as an ERROR node;
 * - `lambda`: a Python `name = lambda ...` assignment;
 * - `no-body`: a TypeScript declaration without code (interface or abstract member, overload or
 *   construct signature, property typed as a function), which holds nothing to train on;
 * - `ctags-artifact`: TypeScript's own parser finds no declaration of that name on that line
 *   (ctags misread e.g. `get [key]()` as a method `get`).
 */
export type MissKind = 'function' | 'parse-error' | 'lambda' | 'no-body' | 'ctags-artifact';

/** Misses that are not definitions with code; coverage "of definitions" leaves them out. */
export const NOT_DEFINITIONS: ReadonlySet<MissKind> = new Set(['no-body', 'ctags-artifact']);

export interface ClassifiedMiss {
  file: string;
  line: number;
  name: string;
  kind: string;
  scope?: string;
  why: MissKind;
  source: string;
}

const TS_FILE = /\.(?:[cm]?ts|tsx)$/;

export function classifyMisses(root: string, misses: CtagsTag[], errorSpans: Map<string, LineSpan[]> = new Map()): ClassifiedMiss[] {
  const declarationsByFile = new Map<string, Map<string, boolean>>();
  return misses.map((tag) => {
    const source = patternText(tag).trim();
    let why: MissKind = 'function';
    if (TS_FILE.test(tag.path)) {
      let declarations = declarationsByFile.get(tag.path);
      if (!declarations) {
        declarations = typescriptDeclarations(join(root, tag.path));
        declarationsByFile.set(tag.path, declarations);
      }
      const hasBody = declarations.get(`${tag.line}:${tag.name}`);
      if (hasBody === undefined) why = 'ctags-artifact';
      else if (!hasBody) why = 'no-body';
    } else if (/\.pyw?$/.test(tag.path) && new RegExp(`\\b${escapeRegExp(tag.name)}\\s*=\\s*lambda\\b`).test(source)) {
      why = 'lambda';
    }
    if (why === 'function' && inSpans(tag.line, errorSpans.get(tag.path))) why = 'parse-error';
    return { file: tag.path, line: tag.line, name: tag.name, kind: tag.kind, scope: tag.scope, why, source };
  });
}

const isFunctionValue = (node: ts.Node | undefined) => !!node && (ts.isArrowFunction(node) || ts.isFunctionExpression(node));

/**
 * Every named declaration of a TypeScript file that could be a function or method, keyed
 * `line:name` (the line of its name), and whether it has code: function-likes by their body,
 * properties and variables by a function value (a function type alone has none).
 */
function typescriptDeclarations(path: string): Map<string, boolean> {
  const out = new Map<string, boolean>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  const add = (line: number, name: string, hasBody: boolean) => {
    const key = `${line}:${name}`;
    out.set(key, (out.get(key) ?? false) || hasBody);
  };
  const nameText = (name: ts.Node | undefined) =>
    name && (ts.isIdentifier(name) || ts.isPrivateIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name)) ? name.text : undefined;
  const visit = (node: ts.Node) => {
    if (ts.isConstructorDeclaration(node)) {
      const keyword = node.getChildren(file).find((c) => c.kind === ts.SyntaxKind.ConstructorKeyword);
      add(lineOf(keyword ?? node), 'constructor', node.body !== undefined);
    } else if (ts.isConstructSignatureDeclaration(node)) {
      add(lineOf(node), 'new', false);
    } else if (ts.isFunctionLike(node) && 'name' in node && nameText(node.name)) {
      add(lineOf(node.name!), nameText(node.name)!, 'body' in node && node.body !== undefined);
    } else if ((ts.isPropertyDeclaration(node) || ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) && nameText(node.name)) {
      add(lineOf(node.name), nameText(node.name)!, isFunctionValue(node.initializer));
    } else if (ts.isPropertySignature(node) && nameText(node.name)) {
      add(lineOf(node.name), nameText(node.name)!, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
