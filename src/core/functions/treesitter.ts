import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser, Query } from '@vscode/tree-sitter-wasm';
import { languageById, type LanguageSpec } from './languages';
import type { LanguageId } from './types';

/**
 * The bundles ship the runtime and grammars in dist/grammars; when running from sources
 * (tests, tsx) they come straight from the package.
 */
function grammarDir(): string {
  const bundled = join(__dirname, 'grammars');
  if (existsSync(join(bundled, 'tree-sitter.wasm'))) return bundled;
  const pkg = '@vscode/tree-sitter-wasm'; // a variable keeps esbuild from trying to bundle the lookup
  return dirname(require.resolve(pkg));
}

export interface LoadedLanguage {
  spec: LanguageSpec;
  parser: Parser;
  query: Query;
}

let runtime: Promise<string> | undefined;
const loaded = new Map<LanguageId, Promise<LoadedLanguage>>();

function initRuntime(): Promise<string> {
  runtime ??= (async () => {
    const dir = grammarDir();
    await Parser.init({ locateFile: (file: string) => join(dir, file) });
    return dir;
  })();
  return runtime;
}

/** Loads a grammar once per thread; later calls share the same parser and compiled query. */
export function loadLanguage(id: LanguageId): Promise<LoadedLanguage> {
  let entry = loaded.get(id);
  if (!entry) {
    entry = (async () => {
      const dir = await initRuntime();
      const spec = languageById(id);
      const language = await Language.load(readFileSync(join(dir, spec.grammar)));
      const parser = new Parser();
      parser.setLanguage(language);
      const query = new Query(language, spec.query);
      return { spec, parser, query };
    })();
    loaded.set(id, entry);
  }
  return entry;
}
