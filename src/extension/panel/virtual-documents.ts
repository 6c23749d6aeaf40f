import { join } from 'node:path';
import { FILES, readJsonl, type SampleRecord } from '../../core/store';
import type { DiffMode } from '../../protocol';
import { baseFile, fileVersions, patchFileFor, snapshotObjects } from './file-versions';
import { patchSectionOf } from './patch-view';

/** The scheme of the read-only documents the panel opens in VS Code's diff editor. */
export const PATCH_SCHEME = 'repo-specializer-patch';

/**
 * One side of a diff: which text of which sample. Everything needed to produce the text is in the
 * reference itself (it travels in the document URI), so diff editors restored after a restart
 * still find their content.
 */
export interface DocRef {
  runDir: string;
  id: string;
  rollout: 1 | 2;
  /** patch: the whole patch; section: one file's part of it; before / after: the file's content. */
  part: 'patch' | 'section' | 'before' | 'after';
  file?: string;
  /** Set for before / after: the repository holding the base commit. */
  repo?: string;
  base?: string;
}

export interface DiffPlan {
  left: DocRef;
  right: DocRef;
  title: string;
  /** Set when the sample's patches touch several files: each file after P1 and after P2, for the multi-file diff editor. */
  files?: { path: string; left: DocRef; right: DocRef }[];
}

/** What planDiff needs to know of the sample for "P1 ↔ P2": its function and the files its patches touch. */
export interface DiffSubject {
  qualifiedName: string;
  files: string[];
}

/** A readable path for a document (its extension picks the editor's syntax colouring). */
export function docPath(ref: DocRef): string {
  const side = `P${ref.rollout}`;
  if (ref.part === 'patch') return `/${ref.id}/${side}.diff`;
  if (ref.part === 'section') return `/${ref.id}/${side}/${ref.file}.diff`;
  return `/${ref.id}/${ref.part === 'before' ? 'base' : side}/${ref.file}`;
}

/**
 * What to show for a "open diff" request; `repo` is null when the base commit is not at hand.
 * "P1 ↔ P2" compares the files as each patch leaves them (the base file with the patch applied),
 * titled with the function's name; only without the base commit does it compare patch text.
 */
export function planDiff(runDir: string, id: string, mode: DiffMode, file: string | undefined, repo: string | null, base: string, subject?: DiffSubject): DiffPlan {
  const refOf = (f: string | undefined) => (rollout: 1 | 2, part: DocRef['part']): DocRef => ({ runDir, id, rollout, part, ...(f ? { file: f } : {}), ...(repo && (part === 'before' || part === 'after') ? { repo, base } : {}) });
  const ref = refOf(file);
  const name = subject?.qualifiedName ?? id;
  if (mode === 'patches' || !file) {
    const files = subject?.files ?? [];
    if (!repo || !files.length) return { left: ref(1, 'patch'), right: ref(2, 'patch'), title: `${name}: P1 ↔ P2 (patch text${repo ? '' : '; the base commit is not in this repository'})` };
    const pairs = files.map((path) => ({ path, left: refOf(path)(1, 'after'), right: refOf(path)(2, 'after') }));
    const only = files.length === 1 ? ` (${files[0].split('/').pop()})` : ` (${files.length} files)`;
    return { left: pairs[0].left, right: pairs[0].right, title: `${name}: after P1 ↔ after P2${only}`, ...(pairs.length > 1 ? { files: pairs } : {}) };
  }
  if (!repo) return { left: ref(1, 'section'), right: ref(2, 'section'), title: `${file}: P1 ↔ P2 (patch text; the base commit is not in this repository)` };
  if (mode === 'file-p1') return { left: ref(1, 'before'), right: ref(1, 'after'), title: `${file}: base ↔ P1` };
  if (mode === 'file-p2') return { left: ref(2, 'before'), right: ref(2, 'after'), title: `${file}: base ↔ P2` };
  return { left: ref(1, 'after'), right: ref(2, 'after'), title: `${file}: after P1 ↔ after P2` };
}

/** The sample record, from the caller's loaded run when it has it, else read from samples.jsonl. */
export type RecordLookup = (runDir: string, id: string) => SampleRecord | undefined;

export const readRecordFromDisk: RecordLookup = (runDir, id) => readJsonl<SampleRecord>(join(runDir, FILES.samples)).find((r) => r.id === id);

/** The text of one side of a diff. */
export async function documentText(ref: DocRef, lookup: RecordLookup = readRecordFromDisk): Promise<string> {
  const record = lookup(ref.runDir, ref.id);
  if (!record) return `Sample ${ref.id} is not in ${ref.runDir} (any more).\n`;
  const rollout = ref.rollout === 1 ? record.rollout1 : record.rollout2;
  const patch = rollout?.patch ?? '';
  if (!rollout) return `This sample has no rollout ${ref.rollout} (it stopped earlier).\n`;
  if (ref.part === 'patch') return patch || '(empty patch)\n';
  if (!ref.file) return '';
  if (ref.part === 'section') return patchSectionOf(patch, ref.file) || `P${ref.rollout} does not change ${ref.file}.\n`;
  if (!ref.repo || !ref.base) return patchSectionOf(patch, ref.file);
  // A patch that does not touch the file leaves it as it was at the base.
  const alternates = snapshotObjects(ref.runDir);
  if (!patchFileFor(patch, ref.file)) return baseFile(ref.repo, ref.base, ref.file, alternates);
  const versions = await fileVersions(ref.repo, ref.base, patch, ref.file, alternates);
  if (!versions) return `P${ref.rollout} does not apply cleanly to ${ref.file} at ${ref.base.slice(0, 12)}; its patch text:\n\n${patchSectionOf(patch, ref.file)}`;
  return ref.part === 'before' ? versions.before : versions.after;
}

/** A DocRef read back from a document URI; null when it is not one of ours (URIs can be typed by anyone). */
export function parseDocRef(json: string): DocRef | null {
  let v: Partial<DocRef>;
  try {
    v = JSON.parse(json) as Partial<DocRef>;
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  if (typeof v.runDir !== 'string' || typeof v.id !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(v.id)) return null;
  if (v.rollout !== 1 && v.rollout !== 2) return null;
  if (!['patch', 'section', 'before', 'after'].includes(v.part as string)) return null;
  if (v.file !== undefined && (typeof v.file !== 'string' || v.file.startsWith('-'))) return null;
  if (v.repo !== undefined && typeof v.repo !== 'string') return null;
  if (v.base !== undefined && (typeof v.base !== 'string' || !/^[0-9a-f]{7,64}$/i.test(v.base))) return null;
  return { runDir: v.runDir, id: v.id, rollout: v.rollout, part: v.part as DocRef['part'], ...(v.file ? { file: v.file } : {}), ...(v.repo ? { repo: v.repo } : {}), ...(v.base ? { base: v.base } : {}) };
}
