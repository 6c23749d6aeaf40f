import { chmodSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Makes every folder under `dir` writable and searchable again (the agent may have chmod-ed them away). */
function restoreFolderModes(dir: string): void {
  try {
    const st = lstatSync(dir);
    if (!st.isDirectory()) return;
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) restoreFolderModes(join(dir, name));
  } catch {
    // best effort
  }
}

/** rm -rf that also copes with folders whose permissions were removed. Symbolic links are removed, never followed. */
export async function removeTree(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    restoreFolderModes(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}

export function removeTreeSync(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    restoreFolderModes(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
