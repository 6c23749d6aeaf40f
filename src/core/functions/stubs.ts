import type { Node } from '@vscode/tree-sitter-wasm';
import type { LanguageId } from './types';

/**
 * Definitions that have a body in the grammar but no behaviour in the program: typing overloads,
 * protocol and abstract methods. A sample needs code to change, and counting these would also
 * give one name several definitions (an `@overload` pair and its implementation). Languages with
 * real abstract syntax (Java, C#, PHP, TypeScript, Rust traits, C++ `= 0`/`= default`) leave such
 * methods without a body, and `hasBody` already passes them over.
 */
export function isStub(def: Node, language: LanguageId): boolean {
  if (language === 'python' && def.type === 'function_definition') return isPythonStub(def);
  if (language === 'ruby' && (def.type === 'method' || def.type === 'singleton_method')) return isRubyStub(def);
  return false;
}

const OVERLOAD = /^(?:[A-Za-z_]\w*\.)*overload$/;
const ABSTRACT = /^(?:[A-Za-z_]\w*\.)*abstract(?:method|property|classmethod|staticmethod)$/;
// Every method of a Protocol is a declaration; an ABC may hold no-op hooks, so there only @abstractmethod says so.
const PROTOCOL_BASE = /^(?:[A-Za-z_]\w*\.)*Protocol(?:\[.*\])?$/s;

function isPythonStub(def: Node): boolean {
  const decorators = pythonDecorators(def);
  if (decorators.some((d) => OVERLOAD.test(d))) return true;
  const statements = (def.childForFieldName('body')?.namedChildren ?? []).filter((s): s is Node => !!s && s.type !== 'comment' && !isDocstring(s));
  // `...` and `raise NotImplementedError` mark a stub wherever they stand.
  if (statements.length === 1 && (isEllipsis(statements[0]) || raisesNotImplemented(statements[0]))) return true;
  // `pass` (or a docstring alone) is a stub only where the method is declared abstract or a protocol member: elsewhere it is a no-op hook one may fill in.
  const empty = statements.every((s) => s.type === 'pass_statement' || isEllipsis(s));
  return empty && (decorators.some((d) => ABSTRACT.test(d)) || inProtocol(def));
}

function pythonDecorators(def: Node): string[] {
  const parent = def.parent;
  if (parent?.type !== 'decorated_definition') return [];
  return parent.namedChildren
    .filter((c): c is Node => c?.type === 'decorator')
    .map((d) => d.text.replace(/^@\s*/, '').replace(/\(.*$/s, '').replace(/\s+/g, ''));
}

function isDocstring(statement: Node): boolean {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.namedChildren[0]?.type === 'string';
}

function isEllipsis(statement: Node): boolean {
  return statement.type === 'expression_statement' && statement.namedChildCount === 1 && statement.namedChildren[0]?.type === 'ellipsis';
}

function raisesNotImplemented(statement: Node): boolean {
  return statement.type === 'raise_statement' && /^raise\s+(?:[A-Za-z_]\w*\.)*NotImplementedError\b/.test(statement.text);
}

function inProtocol(def: Node): boolean {
  let node = def.parent;
  if (node?.type === 'decorated_definition') node = node.parent;
  const cls = node?.type === 'block' ? node.parent : null;
  if (cls?.type !== 'class_definition') return false;
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  return bases.some((b) => !!b && PROTOCOL_BASE.test(b.text.replace(/\s+/g, ' ').trim()));
}

/** Ruby has no abstract keyword; a method whose whole body raises NotImplementedError is its way of saying so. */
function isRubyStub(def: Node): boolean {
  const body = def.childForFieldName('body') ?? def.namedChildren.find((c) => c?.type === 'body_statement') ?? null;
  const statements = (body?.namedChildren ?? []).filter((s): s is Node => !!s && s.type !== 'comment');
  if (statements.length !== 1) return false;
  return /^raise(?:\s+|\s*\(\s*)(?:::)?NotImplementedError\b/.test(statements[0].text);
}
