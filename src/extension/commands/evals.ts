import * as vscode from 'vscode';
import type { EvalIndex } from '../eval-index';
import { evalRowText } from '../view-models/eval-item';

/** An eval run chosen from an Evals view item, a path argument, or a quick pick. */
export async function resolveEvalDir(index: EvalIndex, arg: unknown): Promise<string | undefined> {
  if (typeof arg === 'string') return arg;
  if (arg && typeof arg === 'object' && 'entry' in arg) return (arg as { entry: { listing: { evalDir: string } } }).entry.listing.evalDir;
  const evals = index.all();
  if (!evals.length) {
    void vscode.window.showInformationMessage('Repo Specializer: there are no eval runs in this workspace yet. `specialize eval` writes them to .specializer/evals (see docs/EVAL.md).');
    return undefined;
  }
  if (evals.length === 1) return evals[0].listing.evalDir;
  const pick = await vscode.window.showQuickPick(
    evals.map((e) => {
      const text = evalRowText(e.listing);
      return { label: e.listing.evalId, description: text.description, detail: e.folder.name, evalDir: e.listing.evalDir };
    }),
    { placeHolder: 'Which eval run do you want to open?' },
  );
  return pick?.evalDir;
}
