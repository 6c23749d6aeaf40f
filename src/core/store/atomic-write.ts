import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

/**
 * An atomic write goes to FILE.<pid>.tmp beside its target and is renamed over it, so a reader
 * sees the old file or the new one, never half of one. A writer killed in between leaves that
 * temporary file behind; the run lock's take-over removes exactly the names isTemporaryName
 * accepts, so every atomic write in a run directory goes through this module.
 */
export function temporaryNameFor(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** Whether a file name is one temporaryNameFor gives. */
export function isTemporaryName(name: string): boolean {
  return /\.\d+\.tmp$/.test(name);
}

export function writeFileAtomically(path: string, text: string): void {
  const tmp = temporaryNameFor(path);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** The same without blocking the event loop, for writes made while other samples run. */
export async function writeFileAtomicallyAsync(path: string, text: string): Promise<void> {
  const tmp = temporaryNameFor(path);
  await writeFile(tmp, text);
  await rename(tmp, path);
}
