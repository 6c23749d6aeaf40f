/**
 * Where an export goes unless the user says otherwise: beside the runs folder, in a folder named
 * for the run and the format (REPO/.specializer/exports/<run-id>-<format> for a run in
 * REPO/.specializer/runs/<run-id>), so exports of different runs and formats never collide and
 * none lands inside a run.
 */
export function defaultExportFolder(runDir: string, format: string): string {
  const dir = runDir.replace(/[\\/]+$/, '');
  if (!dir) return '';
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  const cut = Math.max(dir.lastIndexOf('/'), dir.lastIndexOf('\\'));
  const runId = dir.slice(cut + 1);
  const runs = dir.slice(0, Math.max(0, cut));
  const parentCut = Math.max(runs.lastIndexOf('/'), runs.lastIndexOf('\\'));
  const base = parentCut > 0 ? runs.slice(0, parentCut) : runs || sep;
  return `${base}${base.endsWith(sep) ? '' : sep}exports${sep}${runId}-${format}`;
}

/** Was `outDir` proposed by us (any format, or the old in-run default), so a format change may move it along? */
export function isProposedFolder(outDir: string, runDir: string): boolean {
  const dir = runDir.replace(/[\\/]+$/, '');
  if (!outDir || outDir === `${dir}/export`) return true;
  const prefix = defaultExportFolder(runDir, '');
  return outDir.startsWith(prefix) && /^[a-z][a-z-]*$/.test(outDir.slice(prefix.length));
}
