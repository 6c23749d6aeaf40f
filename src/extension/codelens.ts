import { relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { ParsedFunction } from '../core/functions/types';
import { engine } from './lazy';
import { hoverMarkdown, lensTitle, lensTooltip, statsForDefinitions } from './view-models/codelens';
import type { SampleIndex } from './sample-index';

interface DocumentFunctions {
  version: number;
  functions: ParsedFunction[];
}

/**
 * Overlap preview in the editor: above each function that has samples, a lens with their count,
 * best recall and accepted count (click: the curation panel filtered to it) and a hover listing
 * them; above the function at the cursor, a lens that runs one sample on it.
 */
export class OverlapLens implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly parsed = new Map<string, DocumentFunctions>();
  private readonly disposables: vscode.Disposable[] = [];
  private cursorTimer: NodeJS.Timeout | undefined;
  private cursor: { uri: string; line: number } | undefined;

  constructor(private readonly index: SampleIndex) {
    this.disposables.push(
      index.onDidChange(() => this.changed.fire()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (this.cursorTimer) clearTimeout(this.cursorTimer);
        this.cursorTimer = setTimeout(() => {
          this.cursor = { uri: e.textEditor.document.uri.toString(), line: e.selections[0].active.line + 1 };
          this.changed.fire();
        }, 300);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.parsed.delete(d.uri.toString())),
      this.changed,
    );
  }

  private async functionsIn(document: vscode.TextDocument): Promise<{ folder: vscode.WorkspaceFolder; file: string; functions: ParsedFunction[] } | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder || document.uri.scheme !== 'file') return undefined;
    const file = relative(folder.uri.fsPath, document.uri.fsPath).split(sep).join('/');
    const e = engine();
    const language = e.languageForPath(file);
    if (!language) return undefined;
    const key = document.uri.toString();
    const cached = this.parsed.get(key);
    if (cached?.version === document.version) return { folder, file, functions: cached.functions };
    const result = await e.extractFunctions(file, language.id, document.getText());
    this.parsed.set(key, { version: document.version, functions: result.functions });
    return { folder, file, functions: result.functions };
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const found = await this.functionsIn(document);
    if (!found) return [];
    const stats = statsForDefinitions(found.file, found.functions, this.index.samplesFor(found.folder));
    const lenses: vscode.CodeLens[] = [];
    const atCursor = this.cursor?.uri === document.uri.toString() ? innermost(found.functions, this.cursor.line) : undefined;
    found.functions.forEach((fn, i) => {
      const s = stats[i];
      const range = new vscode.Range(fn.startLine - 1, 0, fn.startLine - 1, 0);
      if (s) lenses.push(new vscode.CodeLens(range, { title: lensTitle(s), tooltip: lensTooltip(s), command: 'repoSpecializer.openCurationForFunction', arguments: [s] }));
      if (fn === atCursor) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: '$(beaker) Generate one sample',
            tooltip: 'Run one Soft-Verified Generation sample that starts at this function',
            command: 'repoSpecializer.generateForFunction',
            arguments: [document.uri, { file: found.file, qualifiedName: fn.qualifiedName }],
          }),
        );
      }
    });
    return lenses;
  }

  /** Hovering a definition's head (decorators down to the line with its name) lists its samples. */
  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const found = await this.functionsIn(document);
    if (!found) return undefined;
    const i = found.functions.findIndex((f) => f.startLine - 1 <= position.line && position.line <= headEnd(document, f));
    if (i < 0) return undefined;
    const s = statsForDefinitions(found.file, found.functions, this.index.samplesFor(found.folder))[i];
    if (!s) return undefined;
    const md = new vscode.MarkdownString(hoverMarkdown(s, OPEN_COMMAND));
    md.isTrusted = { enabledCommands: [OPEN_COMMAND] };
    return new vscode.Hover(md);
  }

  dispose(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    for (const d of this.disposables) d.dispose();
  }
}

const OPEN_COMMAND = 'repoSpecializer.openCurationForFunction';

/** The 0-based line of a definition's name: its start line may be a decorator or attribute above it. */
function headEnd(document: vscode.TextDocument, fn: ParsedFunction): number {
  const word = new RegExp(`\\b${fn.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
  const last = Math.min(fn.endLine - 1, fn.startLine - 1 + 30, document.lineCount - 1);
  for (let line = fn.startLine - 1; line <= last; line++) if (word.test(document.lineAt(line).text)) return line;
  return fn.startLine - 1;
}

function innermost(functions: ParsedFunction[], line: number): ParsedFunction | undefined {
  let best: ParsedFunction | undefined;
  for (const f of functions) if (f.startLine <= line && line <= f.endLine && (!best || f.startLine >= best.startLine)) best = f;
  return best;
}
