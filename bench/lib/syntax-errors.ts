import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from '@vscode/tree-sitter-wasm';
import { languageForPath } from '../../src/core/functions/languages';
import { loadLanguage } from '../../src/core/functions/treesitter';

/** 1-based inclusive line ranges of a file that tree-sitter could only parse as ERROR nodes. */
export type LineSpan = [number, number];

/**
 * Parses files with the scan's own grammars and returns, for each file with syntax errors, the
 * line spans its ERROR nodes cover. A function inside such a span is lost to the grammar, not
 * to a query, which tells the reader where a gap must be fixed.
 */
export async function syntaxErrorSpans(root: string, files: string[]): Promise<Map<string, LineSpan[]>> {
  const out = new Map<string, LineSpan[]>();
  for (const file of files) {
    const spec = languageForPath(file);
    if (!spec) continue;
    let text: string;
    try {
      text = readFileSync(join(root, file), 'utf8');
    } catch {
      continue;
    }
    const { parser } = await loadLanguage(spec.id);
    const tree = parser.parse(text);
    if (!tree) continue;
    try {
      if (!tree.rootNode.hasError) continue;
      const spans: LineSpan[] = [];
      const visit = (node: Node) => {
        if (node.isError) {
          spans.push([node.startPosition.row + 1, node.endPosition.row + 1]);
          return;
        }
        for (const child of node.children) if (child?.hasError) visit(child);
      };
      visit(tree.rootNode);
      out.set(file, spans);
    } finally {
      tree.delete();
    }
  }
  return out;
}

export function inSpans(line: number, spans: LineSpan[] | undefined): boolean {
  return !!spans?.some(([a, b]) => line >= a && line <= b);
}
