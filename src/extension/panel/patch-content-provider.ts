import * as vscode from 'vscode';
import { documentText, docPath, parseDocRef, PATCH_SCHEME, readRecordFromDisk, type DocRef, type RecordLookup } from './virtual-documents';

/**
 * Read-only documents for VS Code's diff editor: a sample's patches, one file's section of them,
 * or one file before and after a patch. The URI carries the whole reference, so a diff editor
 * restored after a restart still finds its text.
 */
export class PatchContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly lookup: RecordLookup = readRecordFromDisk) {}

  static uri(ref: DocRef): vscode.Uri {
    return vscode.Uri.from({ scheme: PATCH_SCHEME, path: docPath(ref), query: JSON.stringify(ref) });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = parseDocRef(uri.query);
    if (!ref) return 'This document link is not one Repo Specializer made; open the diff again from the curation panel.\n';
    return documentText(ref, this.lookup);
  }
}
