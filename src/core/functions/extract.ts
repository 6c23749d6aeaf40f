import type { Node, QueryMatch } from '@vscode/tree-sitter-wasm';
import { isStub } from './stubs';
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
        calls.push({ at: capture.node.startIndex, name: callName(capture.node) });
        break;
      case 'import':
        for (const word of capture.node.text.slice(0, MAX_IMPORT_TEXT).match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []) importWords.add(word);
        break;
    }
  }
  if (!def) return;
  if (kind === 'fn' && !hasBody(def)) return;
  // A named function expression bound to a variable, key or field is counted under that binding.
  if (def.type === 'function_expression' && def.parent && BINDS_FUNCTION.has(def.parent.type)) return;
  // `module.exports = function () {}` names the module, not the function.
  if (def.type === 'assignment_expression' && /^(?:module\.)?exports$/.test(def.childForFieldName('left')?.text ?? '')) return;
  if (kind === 'fn' && language === 'rust' && isRustTest(def)) return;
  if (kind === 'fn' && isStub(def, language)) return;
  const key = `${def.startIndex}:${def.endIndex}:${kind}`;
  if (seen.has(key)) return;
  const named = nameNode ? nameFromNode(nameNode) : nameOf(def, language);
  if (!named) return;
  seen.add(key);
  const outer = kind === 'fn' ? extendedStart(def, language) : def;
  let name = named.name;
  if (def.type === 'operator_declaration') name = `operator${name}`;
  else if (def.type === 'destructor_declaration') name = `~${name}`;
  let prefix = receiver ? [receiver.text] : named.prefix;
  if (def.type === 'assignment_expression' && nameNode?.parent?.type === 'member_expression') prefix = jsAssignmentPrefix(nameNode.parent);
  defs.push({
    kind,
    start: def.startIndex,
    end: def.endIndex,
    startRow: outer.startPosition.row,
    endRow: def.endPosition.row,
    signatureRow: (nameNode ?? named.node ?? def).startPosition.row,
    name,
    prefix,
    calls: [],
  });
}

const BINDS_FUNCTION = new Set(['variable_declarator', 'pair', 'assignment_expression', 'public_field_definition', 'field_definition']);

const MEMBER_OPERATORS = new Set(['.', '->', '::', '?.', '&.', '?->', 'optional_chain']);

/**
 * The called name as calls.ts wants it: `name` for a plain call, `receiver.name` for a call on
 * something (`self.step()`, `os.path.join()`), `receiver::name` for a path (`Point::new()`,
 * `crate.geo::area()`), with an empty receiver when it is not a chain of words (`a[0].run()`).
 */
function callName(node: Node): string {
  let anchor = node;
  if (!anchor.previousSibling && anchor.parent && ['generic_name', 'template_function'].includes(anchor.parent.type)) anchor = anchor.parent;
  const operator = anchor.previousSibling;
  if (!operator || !MEMBER_OPERATORS.has(operator.type)) return node.text;
  const receiver = (operator.previousSibling?.text ?? '').replace(/\s+/g, '').replace(/^\$/, '');
  const chain = /^[A-Za-z_$][\w$]*(?:(?:\.|->|::|\?\.)\$?[A-Za-z_][\w$]*)*$/.test(receiver) ? receiver.replace(/->|::|\?\./g, '.').replace(/\$/g, '') : '';
  return `${chain}${operator.type === '::' ? '::' : '.'}${node.text}`;
}

/** `Foo.prototype.bar = function` belongs to Foo; `module.exports.x =` and `this.x =` add nothing worth naming. */
function jsAssignmentPrefix(member: Node): string[] {
  const object = member.childForFieldName('object');
  if (!object) return [];
  const parts = object.text.split('.');
  if (!parts.every((p) => /^[A-Za-z_$][\w$]*$/.test(p))) return [];
  const kept = parts.filter((p) => p !== 'prototype');
  while (kept.length && ['module', 'exports', 'this', 'window', 'globalThis', 'self'].includes(kept[0])) kept.shift();
  return kept;
}

/** Rust keeps unit tests beside the code: `#[test]` functions and `#[cfg(test)]` modules are test code. */
function isRustTest(def: Node): boolean {
  const attributes = (node: Node) => {
    const out: string[] = [];
    for (let s = node.previousNamedSibling; s && (s.type === 'attribute_item' || s.type === 'line_comment' || s.type === 'block_comment'); s = s.previousNamedSibling) {
      if (s.type === 'attribute_item') out.push(s.text);
    }
    return out;
  };
  for (let node: Node | null = def; node; node = node.parent) {
    if (node.type === 'function_item' && attributes(node).some((a) => /^#\[\s*(?:\w+::)*test\b/.test(a))) return true;
    if (node.type === 'mod_item' && attributes(node).some((a) => /cfg\s*\(\s*test\s*\)/.test(a))) return true;
  }
  return false;
}

// Ruby methods always have a body, even an empty one (`def x; end`); Go functions declared for assembly do not.
const BODY_OPTIONAL = new Set(['method_declaration', 'constructor_declaration', 'function_definition', 'function_declaration']);

/** Interface and abstract methods have no body and are not functions one can change. */
function hasBody(def: Node): boolean {
  if (!BODY_OPTIONAL.has(def.type)) return true;
  return def.childForFieldName('body') !== null || def.namedChildren.some((c) => c?.type === 'block' || c?.type === 'arrow_expression_clause' || c?.type === 'compound_statement');
}

interface Named {
  name: string;
  prefix: string[];
  /** The node holding the name, when the query did not capture one; its line is the signature. */
  node?: Node;
}

/** Strips quotes from string keys; splits Ruby `A::B` into a prefix and the last part. */
function nameFromNode(node: Node): Named | undefined {
  if (node.type === 'qualified_identifier') return cppName(node);
  let text = node.text;
  if (node.type === 'string' || node.type === 'string_fragment') text = text.replace(/^['"`]|['"`]$/g, '');
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  if (node.type === 'scope_resolution') {
    const parts = text.split('::').map((p) => p.trim()).filter(Boolean);
    const last = parts.pop();
    return last ? { name: last, prefix: parts } : undefined;
  }
  return { name: text, prefix: [] };
}

const CPP_NAME_TYPES = new Set(['identifier', 'field_identifier', 'qualified_identifier', 'destructor_name', 'operator_name', 'template_function', 'operator_cast']);

/** Follows a C/C++ declarator through pointers, references and parentheses to the function's name. */
function cppDeclaratorName(def: Node): Node | undefined {
  let node = def.childForFieldName('declarator');
  // Macro-heavy code can parse as a "definition" whose declarator is no function at all.
  let isFunction = false;
  for (let depth = 0; node && depth < 32; depth++) {
    if (CPP_NAME_TYPES.has(node.type)) return isFunction || node.text.includes('operator') ? node : undefined;
    if (node.type === 'function_declarator') isFunction = true;
    node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => !!c && (c.type.endsWith('declarator') || CPP_NAME_TYPES.has(c.type))) ?? null;
  }
  return undefined;
}

/** `ns::Box<T>::reset` becomes prefix [ns, Box] and name reset: template arguments are not part of a name. */
function cppName(node: Node): Named | undefined {
  const prefix: string[] = [];
  let current: Node | null = node;
  while (current?.type === 'qualified_identifier') {
    const scope = current.childForFieldName('scope');
    if (scope) prefix.push(cppBaseName(scope));
    current = current.childForFieldName('name');
  }
  if (!current) return undefined;
  const name = cppBaseName(current);
  return name ? { name, prefix: prefix.filter(Boolean), node } : undefined;
}

function cppBaseName(node: Node): string {
  if (node.type === 'template_type' || node.type === 'template_function') return (node.childForFieldName('name')?.text ?? '').trim();
  if (node.type === 'operator_cast') return `operator ${node.childForFieldName('type')?.text ?? ''}`.trim();
  return node.text.replace(/\s+/g, node.type === 'operator_name' ? '' : ' ').replace(/^operator(?=[A-Za-z_])/, 'operator ').trim();
}

/** Names definitions the query could not name directly: C/C++ declarators and C# accessors. */
function nameOf(def: Node, language: LanguageId): Named | undefined {
  if (language === 'cpp' || language === 'c') {
    const nameNode = cppDeclaratorName(def);
    const named = nameNode ? (nameNode.type === 'qualified_identifier' ? cppName(nameNode) : { name: cppBaseName(nameNode), prefix: [] }) : undefined;
    return named?.name ? { ...named, node: nameNode } : undefined;
  }
  if (def.type === 'accessor_declaration') {
    const hasBody = def.namedChildren.some((c) => c?.type === 'block' || c?.type === 'arrow_expression_clause');
    const keyword = def.children.find((c) => c && ['get', 'set', 'init', 'add', 'remove'].includes(c.type));
    return hasBody && keyword ? { name: keyword.type, prefix: [], node: keyword } : undefined;
  }
  // An expression-bodied property (`int Total => n;`) is its getter.
  if (def.type === 'property_declaration') return { name: 'get', prefix: [], node: def.childForFieldName('name') ?? undefined };
  if (def.type === 'indexer_declaration') return { name: 'this', prefix: [] };
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
  // Decorators and attributes may be separated from the definition by comments.
  let earliest = node;
  for (let sibling = node.previousNamedSibling; sibling; sibling = sibling.previousNamedSibling) {
    if (sibling.type === 'decorator' || sibling.type === 'attribute_item') earliest = sibling;
    else if (!sibling.type.includes('comment')) break;
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
