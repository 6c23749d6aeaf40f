import type { LanguageId } from './types';

/**
 * How each language is recognised and queried. Queries use a few capture names:
 * `@def.fn` (a function's whole definition) with `@name`, `@def.scope` (a class-like container)
 * with `@name`, `@receiver` (Go method receiver type), `@callee` (the called name of a call)
 * and `@import` (an import statement). Definitions without `@name` are named by `nameOf`.
 */
export interface LanguageSpec {
  id: LanguageId;
  grammar: string;
  extensions: string[];
  shortCodes: string[];
  query: string;
}

const JS_COMMON = `
(function_declaration name: (identifier) @name) @def.fn
(generator_function_declaration name: (identifier) @name) @def.fn
(method_definition name: [(property_identifier) (private_property_identifier) (computed_property_name) (string)] @name) @def.fn
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @def.fn
(pair key: [(property_identifier) (string)] @name value: [(arrow_function) (function_expression) (generator_function)]) @def.fn
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression) (generator_function)]) @def.fn
(assignment_expression left: (identifier) @name right: [(arrow_function) (function_expression) (generator_function)]) @def.fn
(function_expression name: (identifier) @name) @def.fn
(class_declaration name: (_) @name) @def.scope
(variable_declarator name: (identifier) @name value: (class)) @def.scope
(variable_declarator name: (identifier) @name value: (object)) @def.scope
(pair key: [(property_identifier) (string)] @name value: (object)) @def.scope
(call_expression function: [(identifier) @callee (member_expression property: [(property_identifier) (private_property_identifier)] @callee)])
(new_expression constructor: (identifier) @callee)
(import_statement) @import
(call_expression function: (identifier) @_req (#eq? @_req "require")) @import
`;

const TS_EXTRA = `
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name value: [(arrow_function) (function_expression)]) @def.fn
(abstract_class_declaration name: (type_identifier) @name) @def.scope
(interface_declaration name: (type_identifier) @name) @def.scope
(internal_module name: (_) @name) @def.scope
`;

const JS_EXTRA = `
(field_definition property: [(property_identifier) (private_property_identifier)] @name value: [(arrow_function) (function_expression)]) @def.fn
`;

export const LANGUAGES: LanguageSpec[] = [
  {
    id: 'python',
    grammar: 'tree-sitter-python.wasm',
    extensions: ['.py', '.pyw'],
    shortCodes: ['py', 'python'],
    query: `
(function_definition name: (identifier) @name) @def.fn
(assignment left: (identifier) @name right: (lambda)) @def.fn
(class_definition name: (identifier) @name) @def.scope
(call function: [(identifier) @callee (attribute attribute: (identifier) @callee)])
(import_statement) @import
(import_from_statement) @import
`,
  },
  {
    id: 'typescript',
    grammar: 'tree-sitter-typescript.wasm',
    extensions: ['.ts', '.mts', '.cts'],
    shortCodes: ['ts', 'typescript'],
    query: JS_COMMON + TS_EXTRA,
  },
  {
    id: 'tsx',
    grammar: 'tree-sitter-tsx.wasm',
    extensions: ['.tsx'],
    shortCodes: ['tsx'],
    query: JS_COMMON + TS_EXTRA,
  },
  {
    id: 'javascript',
    grammar: 'tree-sitter-javascript.wasm',
    extensions: ['.js', '.jsx', '.mjs', '.cjs'],
    shortCodes: ['js', 'jsx', 'javascript'],
    query: JS_COMMON + JS_EXTRA,
  },
  {
    id: 'go',
    grammar: 'tree-sitter-go.wasm',
    extensions: ['.go'],
    shortCodes: ['go', 'golang'],
    query: `
(function_declaration name: (identifier) @name) @def.fn
(method_declaration
  receiver: (parameter_list (parameter_declaration type: [
    (type_identifier) @receiver
    (pointer_type (type_identifier) @receiver)
    (generic_type type: (type_identifier) @receiver)
    (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name) @def.fn
(var_spec name: (identifier) @name value: (expression_list . (func_literal) .)) @def.fn
(short_var_declaration left: (expression_list . (identifier) @name .) right: (expression_list . (func_literal) .)) @def.fn
(call_expression function: [(identifier) @callee (selector_expression field: (field_identifier) @callee)])
(import_declaration) @import
`,
  },
  {
    id: 'rust',
    grammar: 'tree-sitter-rust.wasm',
    extensions: ['.rs'],
    shortCodes: ['rs', 'rust'],
    query: `
(function_item name: (identifier) @name) @def.fn
(impl_item type: [
  (type_identifier) @name
  (generic_type type: (type_identifier) @name)
  (scoped_type_identifier name: (type_identifier) @name)
  (generic_type type: (scoped_type_identifier name: (type_identifier) @name))]) @def.scope
(trait_item name: (type_identifier) @name) @def.scope
(mod_item name: (identifier) @name body: (_)) @def.scope
(call_expression function: [
  (identifier) @callee
  (scoped_identifier name: (identifier) @callee)
  (field_expression field: (field_identifier) @callee)
  (generic_function function: [(identifier) @callee (scoped_identifier name: (identifier) @callee) (field_expression field: (field_identifier) @callee)])])
(use_declaration) @import
`,
  },
  {
    id: 'java',
    grammar: 'tree-sitter-java.wasm',
    extensions: ['.java'],
    shortCodes: ['java'],
    query: `
(method_declaration name: (identifier) @name) @def.fn
(constructor_declaration name: (identifier) @name) @def.fn
(compact_constructor_declaration name: (identifier) @name) @def.fn
(class_declaration name: (identifier) @name) @def.scope
(interface_declaration name: (identifier) @name) @def.scope
(enum_declaration name: (identifier) @name) @def.scope
(record_declaration name: (identifier) @name) @def.scope
(annotation_type_declaration name: (identifier) @name) @def.scope
(method_invocation name: (identifier) @callee)
(object_creation_expression type: (type_identifier) @callee)
(import_declaration) @import
`,
  },
  {
    id: 'csharp',
    grammar: 'tree-sitter-c-sharp.wasm',
    extensions: ['.cs'],
    shortCodes: ['cs', 'csharp', 'c#'],
    query: `
(method_declaration name: (identifier) @name) @def.fn
(constructor_declaration name: (identifier) @name) @def.fn
(destructor_declaration name: (identifier) @name) @def.fn
(local_function_statement name: (identifier) @name) @def.fn
(operator_declaration operator: _ @name) @def.fn
(accessor_declaration) @def.fn
(property_declaration (arrow_expression_clause)) @def.fn
(class_declaration name: (identifier) @name) @def.scope
(struct_declaration name: (identifier) @name) @def.scope
(interface_declaration name: (identifier) @name) @def.scope
(record_declaration name: (identifier) @name) @def.scope
(property_declaration name: (identifier) @name) @def.scope
(indexer_declaration) @def.scope
(event_declaration name: (identifier) @name) @def.scope
(invocation_expression function: [
  (identifier) @callee
  (member_access_expression name: [(identifier) @callee (generic_name (identifier) @callee)])
  (generic_name (identifier) @callee)])
(using_directive) @import
`,
  },
  {
    id: 'cpp',
    grammar: 'tree-sitter-cpp.wasm',
    extensions: ['.cpp', '.cc', '.cxx', '.c++', '.hpp', '.hh', '.hxx', '.h', '.ipp', '.inl'],
    shortCodes: ['cpp', 'c++', 'cxx'],
    query: `
(function_definition declarator: (_)) @def.fn
(class_specifier name: (type_identifier) @name body: (_)) @def.scope
(struct_specifier name: (type_identifier) @name body: (_)) @def.scope
(union_specifier name: (type_identifier) @name body: (_)) @def.scope
(call_expression function: [
  (identifier) @callee
  (field_expression field: (field_identifier) @callee)
  (qualified_identifier name: (identifier) @callee)
  (template_function name: (identifier) @callee)])
(preproc_include) @import
`,
  },
  {
    id: 'c',
    grammar: 'tree-sitter-cpp.wasm',
    extensions: ['.c'],
    shortCodes: ['c'],
    query: `
(function_definition declarator: (_)) @def.fn
(struct_specifier name: (type_identifier) @name body: (_)) @def.scope
(call_expression function: [(identifier) @callee (field_expression field: (field_identifier) @callee)])
(preproc_include) @import
`,
  },
  {
    id: 'ruby',
    grammar: 'tree-sitter-ruby.wasm',
    extensions: ['.rb', '.rake'],
    shortCodes: ['rb', 'ruby'],
    query: `
(method name: (_) @name) @def.fn
(singleton_method name: (_) @name) @def.fn
(class name: [(constant) (scope_resolution)] @name) @def.scope
(module name: [(constant) (scope_resolution)] @name) @def.scope
(call method: (identifier) @callee)
(call method: (identifier) @_req (#match? @_req "^require")) @import
`,
  },
  {
    id: 'php',
    grammar: 'tree-sitter-php.wasm',
    extensions: ['.php'],
    shortCodes: ['php'],
    query: `
(function_definition name: (name) @name) @def.fn
(method_declaration name: (name) @name) @def.fn
(class_declaration name: (name) @name) @def.scope
(interface_declaration name: (name) @name) @def.scope
(trait_declaration name: (name) @name) @def.scope
(enum_declaration name: (name) @name) @def.scope
(function_call_expression function: [(name) @callee (qualified_name (name) @callee)])
(member_call_expression name: (name) @callee)
(scoped_call_expression name: (name) @callee)
(namespace_use_declaration) @import
`,
  },
];

const byExtension = new Map<string, LanguageSpec>();
for (const spec of LANGUAGES) for (const ext of spec.extensions) byExtension.set(ext, spec);

export function languageForPath(path: string): LanguageSpec | undefined {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return undefined;
  return byExtension.get(path.slice(dot).toLowerCase());
}

export function languageById(id: LanguageId): LanguageSpec {
  const spec = LANGUAGES.find((l) => l.id === id);
  if (!spec) throw new Error(`unknown language ${id}`);
  return spec;
}

/** Turns user words such as "py,ts,rust" into language ids; an unknown word is an error that lists the known ones. */
export function parseLanguageList(words: string[]): Set<LanguageId> {
  const ids = new Set<LanguageId>();
  for (const raw of words.flatMap((w) => w.split(','))) {
    const word = raw.trim().toLowerCase();
    if (!word) continue;
    const spec = LANGUAGES.find((l) => l.id === word || l.shortCodes.includes(word));
    if (!spec) {
      const known = LANGUAGES.map((l) => l.shortCodes[0]).join(', ');
      throw new Error(`Unknown language "${raw.trim()}". Use one or more of: ${known}.`);
    }
    ids.add(spec.id);
    // TypeScript projects hold .tsx files too; selecting one selects both grammars.
    if (spec.id === 'typescript') ids.add('tsx');
  }
  return ids;
}
