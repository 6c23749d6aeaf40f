import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit } from 'simple-git';
import { seededRandom } from '../functions/sample';
import { BUILTIN_DEMONSTRATIONS, type Demonstration } from './demonstration-bank';
import { BankError } from './instructions';

export type DemonstrationSource = 'builtin' | 'git' | string;

const MIN_MESSAGE_CHARS = 80;
const MAX_DEMO_CHARS = 4000;

/**
 * Demonstrations in the style of the user's own project: commit and merge messages with a real
 * body from `git log`, or a folder of markdown issue texts. Falls back to the built-in bank when
 * the repository's history has too few usable messages.
 */
export async function loadDemonstrations(source: DemonstrationSource, repoRoot: string): Promise<Demonstration[]> {
  if (source === 'builtin') return BUILTIN_DEMONSTRATIONS;
  if (source === 'git') {
    const fromGit = await demonstrationsFromGit(repoRoot);
    return fromGit.length >= 3 ? fromGit : [...fromGit, ...BUILTIN_DEMONSTRATIONS];
  }
  return demonstrationsFromFolder(source);
}

async function demonstrationsFromGit(repoRoot: string, limit = 2000): Promise<Demonstration[]> {
  const out = await simpleGit({ baseDir: repoRoot }).raw(['log', `-n${limit}`, '--format=%H%x1f%B%x1e']);
  const demos: Demonstration[] = [];
  for (const record of out.split('\x1e')) {
    const [hash, body] = record.split('\x1f');
    const text = body?.trim();
    if (!hash?.trim() || !text || text.length < MIN_MESSAGE_CHARS) continue;
    // Messages that are only a subject line plus sign-offs teach nothing about style.
    if (!text.includes('\n')) continue;
    demos.push({ id: `git:${hash.trim().slice(0, 12)}`, style: 'commit message of this repository', text: text.slice(0, MAX_DEMO_CHARS) });
  }
  return demos;
}

function demonstrationsFromFolder(dir: string): Demonstration[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).filter((n) => /\.(md|markdown|txt)$/i.test(n)).sort();
  } catch {
    throw new BankError(`The demonstrations source "${dir}" is neither "builtin", "git", nor a folder of .md issue texts.`);
  }
  const demos = names
    .map((name) => ({ id: `file:${name}`, style: 'issue of this project', text: readFileSync(join(dir, name), 'utf8').trim().slice(0, MAX_DEMO_CHARS) }))
    .filter((d) => d.text.length > 0);
  if (!demos.length) throw new BankError(`The folder ${dir} holds no non-empty .md issue texts to use as demonstrations.`);
  return demos;
}

export function pickDemonstration(demos: Demonstration[], sampleKey: string): Demonstration {
  return demos[Math.floor(seededRandom(`demo:${sampleKey}`)() * demos.length)];
}
