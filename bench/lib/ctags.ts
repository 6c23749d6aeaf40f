import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LanguageId } from '../../src/core/functions/types';
import type { BenchCommand } from './proc';

/** How universal-ctags names each of our languages, which of its kinds are functions and methods, and extensions it does not map by itself. */
export const CTAGS_LANGUAGES: Record<LanguageId, { name: string; kinds: string; extraExtensions: string[] }> = {
  python: { name: 'Python', kinds: 'fm', extraExtensions: ['.pyw'] },
  typescript: { name: 'TypeScript', kinds: 'fmG', extraExtensions: ['.mts', '.cts'] },
  tsx: { name: 'TypeScript', kinds: 'fmG', extraExtensions: ['.tsx'] },
  javascript: { name: 'JavaScript', kinds: 'fmg', extraExtensions: ['.cjs'] },
  go: { name: 'Go', kinds: 'f', extraExtensions: [] },
  rust: { name: 'Rust', kinds: 'fP', extraExtensions: [] },
  java: { name: 'Java', kinds: 'm', extraExtensions: [] },
  csharp: { name: 'C#', kinds: 'm', extraExtensions: [] },
  cpp: { name: 'C++', kinds: 'f', extraExtensions: ['.ipp'] },
  c: { name: 'C', kinds: 'f', extraExtensions: [] },
  ruby: { name: 'Ruby', kinds: 'fS', extraExtensions: ['.rake'] },
  php: { name: 'PHP', kinds: 'f', extraExtensions: [] },
};

export const CTAGS_INSTALL_HINT =
  'universal-ctags is needed as the reference: install it with `apt-get install -y universal-ctags` (Debian/Ubuntu) or `brew install universal-ctags` (macOS), then run the benchmark again.';

/** The version line of universal-ctags with JSON output, or an error message saying how to get it. */
export function checkCtags(): { version: string } | { error: string } {
  const version = spawnSync('ctags', ['--version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) return { error: `ctags was not found. ${CTAGS_INSTALL_HINT}` };
  const first = version.stdout.split('\n')[0];
  if (!/Universal Ctags/i.test(first)) return { error: `${first.trim()} is not universal-ctags. ${CTAGS_INSTALL_HINT}` };
  const features = spawnSync('ctags', ['--list-features'], { encoding: 'utf8' });
  if (!/^json\b/m.test(features.stdout ?? '')) return { error: `This universal-ctags was built without JSON output. ${CTAGS_INSTALL_HINT}` };
  return { version: first.trim() };
}

/**
 * The ctags command that lists the functions and methods of exactly the files named in `listFile`
 * (relative to `cwd`), as JSON lines with line and end fields, into `outFile`.
 */
export function ctagsCommand(languages: Iterable<LanguageId>, listFile: string, outFile: string, cwd: string): BenchCommand {
  const byName = new Map<string, { kinds: Set<string>; extensions: Set<string> }>();
  for (const id of languages) {
    const spec = CTAGS_LANGUAGES[id];
    const entry = byName.get(spec.name) ?? { kinds: new Set(), extensions: new Set() };
    for (const k of spec.kinds) entry.kinds.add(k);
    for (const e of spec.extraExtensions) entry.extensions.add(e);
    byName.set(spec.name, entry);
  }
  const names = [...byName.keys()].sort();
  const args = ['--output-format=json', '--fields=+ne', `--languages=${names.join(',')}`];
  for (const name of names) {
    const { kinds, extensions } = byName.get(name)!;
    args.push(`--kinds-${name}=${[...kinds].join('')}`);
    for (const ext of extensions) args.push(`--map-${name}=+${ext}`);
  }
  // Tags go to stdout and from there to the file: ctags refuses to overwrite a JSON file it wrote before.
  args.push('-L', listFile, '-f', '-');
  return { cmd: 'ctags', args, cwd, stdoutFile: outFile };
}

export interface CtagsTag {
  name: string;
  path: string;
  line: number;
  end?: number;
  kind: string;
  scope?: string;
  scopeKind?: string;
  pattern?: string;
}

/** The tags of a `--output-format=json` file, pseudo-tags left out. */
export function readCtagsJson(file: string): CtagsTag[] {
  const tags: CtagsTag[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let entry: { _type?: string } & Partial<CtagsTag>;
    try {
      entry = JSON.parse(line);
    } catch {
      continue; // ctags escapes its output, but one odd line must not sink the whole comparison
    }
    if (entry._type === 'tag' && entry.name && entry.path && typeof entry.line === 'number') tags.push(entry as CtagsTag);
  }
  return tags;
}

/** The source line ctags quoted, without its /^...$/ wrapping. */
export function patternText(tag: CtagsTag): string {
  return (tag.pattern ?? '').replace(/^\/\^/, '').replace(/\$?\/$/, '').replace(/\\\//g, '/').replace(/\\\\/g, '\\');
}
