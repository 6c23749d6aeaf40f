import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { loadLanguage } from './treesitter';
import type { LanguageId, ParsedFile, ParsedFunction } from './types';

interface Definition {
  kind: 'fn' | 'scope';
  start: number;
  end: number;
  startRow: number;
  endRow: number;
  signatureRow: number;
  name: string;
  /** Extra qualifier placed before the name: a Go receiver or a C++ `Type::` prefix. */
  prefix: string[];
  calls: string[];
}

const MAX_SIGNATURE = 240;
const MAX_IMPORT_TEXT = 2000;

/** Parses one file's text and returns its functions with qualified names and the names they call. */
export async function extractFunctions(file: string, language: LanguageId, source: string): Promise<ParsedFile> {
  const { parser, query } = await loadLanguage(language);
  const tree = parser.parse(source);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const defs: Definition[] = [];
    const calls: { at: number; name: string }[] = [];
    const importWords = new Set<string>();
    const seen = new Set<string>();
    for (const match of query.matches(tree.rootNode)) {
      collect(match, language, defs, calls, importWords, seen);
    }
    const lines = source.split('\n');
    return {
      file,
      language,
      functions: nest(defs, calls, lines),
      importWords: [...importWords],
      hasErrors: tree.rootNode.hasError,
    };
  } finally {
    tree.delete();
  }
}

function collect(
  match: QueryMatch,
  language: LanguageId,
  defs: Definition[],
  calls: { at: number; name: string }[],
  importWords: Set<string>,
  seen: Set<string>,
): void {
  let def: Node | undefined;
  let kind: 'fn' | 'scope' = 'fn';
  let nameNode: Node | undefined;
  let receiver: Node | undefined;
  for (const capture of match.captures) {
    switch (capture.name) {
      case 'def.fn':
        def = capture.node;
        kind = 'fn';
        break;
      case 'def.scope':
        def = capture.node;
        kind = 'scope';
        break;
      case 'name':
        nameNode = capture.node;
        break;
      case 'receiver':
        receiver = capture.node;
        break;
      case 'callee':
        calls.push({ at: capture.node.startIndex, name: capture.node.text });
        break;
      case 'import':
        for (const word of capture.node.text.slice(0, MAX_IMPORT_TEXT).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) importWords.add(word);
        break;
    }
  }
  if (!def) return;
  if (kind === 'fn' && !hasBody(def)) return;
  const key = `${def.startIndex}:${def.endIndex}:${kind}`;
  if (seen.has(key)) return;
  const named = nameNode ? nameFromNode(nameNode) : nameOf(def, language);
  if (!named) return;
  seen.add(key);
  const outer = kind === 'fn' ? extendedStart(def, language) : def;
  defs.push({
    kind,
    start: def.startIndex,
    end: def.endIndex,
    startRow: outer.startPosition.row,
    endRow: def.endPosition.row,
    signatureRow: (nameNode ?? def).startPosition.row,
    name: def.type === 'operator_declaration' ? `operator${named.name}` : named.name,
    prefix: receiver ? [receiver.text] : named.prefix,
    calls: [],
  });
}

const BODY_OPTIONAL = new Set(['method_declaration', 'constructor_declaration', 'function_definition', 'method']);

/** Interface and abstract methods have no body and are not functions one can change. */
function hasBody(def: Node): boolean {
  if (!BODY_OPTIONAL.has(def.type)) return true;
  return def.childForFieldName('body') !== null || def.namedChildren.some((c) => c?.type === 'block' || c?.type === 'arrow_expression_clause' || c?.type === 'compound_statement');
}

/** Splits names such as C++ `ns::Type::method` into a prefix and the last part; strips quotes from string keys. */
function nameFromNode(node: Node): { name: string; prefix: string[] } | undefined {
  let text = node.text;
  if (node.type === 'string' || node.type === 'string_fragment') text = text.replace(/^['"`]|['"`]$/g, '');
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (node.type === 'qualified_identifier' || node.type === 'scope_resolution') {
    const parts = text.split('::').map((p) => p.trim()).filter(Boolean);
    const last = parts.pop();
    return last ? { name: last, prefix: parts } : undefined;
  }
  return { name: text, prefix: [] };
}

/** Names definitions the query could not name directly: C/C++ declarators and C# accessors. */
function nameOf(def: Node, language: LanguageId): { name: string; prefix: string[] } | undefined {
  if (language === 'cpp' || language === 'c') {
    let declarator = def.childForFieldName('declarator');
    while (declarator && declarator.type !== 'function_declarator') {
      declarator = declarator.childForFieldName('declarator');
    }
    const inner = declarator?.childForFieldName('declarator');
    return inner ? nameFromNode(inner) : undefined;
  }
  if (def.type === 'accessor_declaration') {
    const hasBody = def.namedChildren.some((c) => c?.type === 'block' || c?.type === 'arrow_expression_clause');
    const keyword = def.children.find((c) => c && ['get', 'set', 'init', 'add', 'remove'].includes(c.type));
    return hasBody && keyword ? { name: keyword.type, prefix: [] } : undefined;
  }
  return undefined;
}

/** The whole definition includes decorators, attributes, templates and the declaration that binds an arrow function. */
function extendedStart(def: Node, language: LanguageId): Node {
  let node = def;
  const parent = node.parent;
  if (language === 'python' && parent?.type === 'decorated_definition') return parent;
  if (language === 'cpp' && parent?.type === 'template_declaration') return parent;
  if (node.type === 'variable_declarator' && parent && parent.namedChildCount === 1) {
    node = parent;
    if (node.parent?.type === 'export_statement') node = node.parent;
  }
  if (node.parent?.type === 'export_statement' && node.type !== 'lexical_declaration') node = node.parent;
  let earliest = node;
  for (let sibling = node.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    if (sibling.type === 'decorator' || sibling.type === 'attribute_item') earliest = sibling;
    else break;
  }
  return earliest;
}

/** Orders definitions by position, derives qualified names from enclosing scopes and assigns each call to its innermost function. */
function nest(defs: Definition[], calls: { at: number; name: string }[], lines: string[]): ParsedFunction[] {
  defs.sort((a, b) => a.start - b.start || b.end - a.end || (a.kind === 'scope' ? -1 : 1));
  calls.sort((a, b) => a.at - b.at);
  const out: ParsedFunction[] = [];
  const byDef = new Map<Definition, ParsedFunction>();
  const stack: { def: Definition; path: string[] }[] = [];
  let callIndex = 0;
  const flushCalls = (until: number) => {
    while (callIndex < calls.length && calls[callIndex].at < until) {
      const call = calls[callIndex++];
      while (stack.length && stack[stack.length - 1].def.end <= call.at) stack.pop();
      for (let i = stack.length - 1; i >= 0; i--) {
        if (stack[i].def.kind === 'fn') {
          stack[i].def.calls.push(call.name);
          break;
        }
      }
    }
  };
  for (const def of defs) {
    flushCalls(def.start);
    while (stack.length && stack[stack.length - 1].def.end <= def.start) stack.pop();
    const parentPath = stack.length ? stack[stack.length - 1].path : [];
    const path = [...parentPath, ...def.prefix, def.name];
    stack.push({ def, path });
    if (def.kind === 'fn') {
      const fn: ParsedFunction = {
        name: def.name,
        qualifiedName: path.join('.'),
        startLine: def.startRow + 1,
        endLine: def.endRow + 1,
        signature: (lines[def.signatureRow] ?? '').trim().slice(0, MAX_SIGNATURE),
        callNames: [],
      };
      byDef.set(def, fn);
      out.push(fn);
    }
  }
  flushCalls(Number.POSITIVE_INFINITY);
  for (const [def, fn] of byDef) fn.callNames = [...new Set(def.calls)];
  return out;
}
