import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { languageForPath } from '../functions/languages';
import { pathRules } from '../functions/skip-rules';
import { isRunDir, readManifest } from '../store';
import { changedLines, PatchParseError } from '../verify';
import { messageSkip } from './commit-messages';
import { EvalError } from './errors';
import type { EvalTask, TaskSourceRecord } from './types';

export interface HistoryOptions {
  repo: string;
  /** Only commits after this one (a revision, or a run directory: its base commit). */
  since?: string;
  /** Most tasks to take, newest first. */
  limit?: number;
  /** Bounds on the reference's changed lines (the metric's count: non-blank added and removed lines of source files). */
  minLines?: number;
  maxLines?: number;
  /** Messages shorter than this (whitespace folded) say too little to be a task. */
  minMessageChars?: number;
  /** Folder of .md issue texts; a message that mentions #N gets the text of N.md (or N-*.md) added. */
  issues?: string;
  include?: string[];
  exclude?: string[];
}

export const HISTORY_DEFAULTS = { limit: 50, minLines: 2, maxLines: 80, minMessageChars: 24 } as const;

export interface HistoryTasks {
  tasks: EvalTask[];
  record: NonNullable<TaskSourceRecord['history']>;
}

const PAGE = 400;
/** Numstat counts blank lines too; a commit this far over the bound cannot come back under it. */
const NUMSTAT_SLACK = 3;

interface LoggedCommit {
  hash: string;
  parents: string[];
  message: string;
  files: { path: string; changed: number | null }[];
}

/**
 * Real commits of the repository as tasks, newest first: non-merge commits that change source
 * files (the scan's skip rules: no tests, vendored, generated or minified paths), whose source
 * diff is within the size bound, and whose message says something. The reference is the source
 * part of the commit's diff against its parent; the copy starts at the parent.
 */
export async function historyTasks(o: HistoryOptions): Promise<HistoryTasks> {
  const limit = o.limit ?? HISTORY_DEFAULTS.limit;
  const minLines = o.minLines ?? HISTORY_DEFAULTS.minLines;
  const maxLines = o.maxLines ?? HISTORY_DEFAULTS.maxLines;
  const minMessageChars = o.minMessageChars ?? HISTORY_DEFAULTS.minMessageChars;
  if (!(Number.isInteger(limit) && limit >= 1)) throw new EvalError(`--limit must be a whole number of at least 1; got ${limit}.`);
  if (!(minLines >= 1 && maxLines >= minLines)) throw new EvalError(`The size bound must have 1 <= --min-lines <= --max-lines; got ${minLines} and ${maxLines}.`);
  const issues = o.issues ? issueFolder(o.issues) : null;
  const git = simpleGit({ baseDir: o.repo });
  const since = o.since ? await resolveSince(git, o.since) : null;
  const rules = pathRules(o.include, o.exclude);
  const isSource = (path: string) => languageForPath(path) !== undefined && rules.classify(path) === undefined;

  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  const tasks: EvalTask[] = [];
  let considered = 0;
  for (let page = 0; tasks.length < limit; page++) {
    const commits = await logPage(git, since, page * PAGE);
    if (!commits.length) break;
    for (const c of commits) {
      if (tasks.length >= limit) break;
      considered++;
      if (!c.parents.length) {
        skip('root-commit');
        continue;
      }
      const source = c.files.filter((f) => isSource(f.path) && f.changed !== null);
      if (!source.length) {
        skip('no-source-change');
        continue;
      }
      const counted = source.reduce((n, f) => n + f.changed!, 0);
      if (counted < minLines) {
        skip('too-small');
        continue;
      }
      if (counted > maxLines * NUMSTAT_SLACK) {
        skip('too-large');
        continue;
      }
      const unhelpful = messageSkip(c.message, minMessageChars);
      if (unhelpful) {
        skip(unhelpful);
        continue;
      }
      const reference = await git.raw(['diff', '--no-ext-diff', '--no-textconv', '--no-renames', '--no-color', '-U3', c.parents[0], c.hash, '--', ...source.map((f) => `:(literal)${f.path}`)]);
      let lines: number;
      try {
        lines = changedLines(reference).length;
      } catch (error) {
        if (!(error instanceof PatchParseError)) throw error;
        skip('unreadable-diff');
        continue;
      }
      if (lines < minLines) {
        skip('too-small');
        continue;
      }
      if (lines > maxLines) {
        skip('too-large');
        continue;
      }
      const linked = issues ? linkedIssues(c.message, issues) : [];
      tasks.push({
        id: `c-${c.hash.slice(0, 12)}`,
        origin: { kind: 'commit', commit: c.hash, subject: c.message.split('\n', 1)[0], issues: linked.map((i) => i.name) },
        baseCommit: c.parents[0],
        snapshotStore: null,
        statement: [c.message, ...linked.map((i) => `Linked issue ${i.name}:\n\n${i.text}`)].join('\n\n'),
        reference,
        referenceLines: lines,
      });
    }
  }
  return {
    tasks,
    record: { since: since ? since.commit : null, limit, minLines, maxLines, minMessageChars, issues: o.issues ?? null, considered, skipped },
  };
}

/** The commit a revision names in the repository, or null. */
export async function commitOf(git: SimpleGit, rev: string): Promise<string | null> {
  // git prints nothing for an unknown revision with --quiet, and simple-git then does not throw
  const commit = await git.raw(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).then((out) => out.trim(), () => '');
  return /^[0-9a-f]{40,64}$/.test(commit) ? commit : null;
}

async function resolveSince(git: SimpleGit, since: string): Promise<{ commit: string }> {
  let rev = since;
  if (existsSync(since) && isRunDir(since)) rev = readManifest(since).repository.baseCommit;
  const commit = await commitOf(git, rev);
  if (!commit) {
    throw new EvalError(`--since ${since} is neither a commit of the repository nor a run directory; give a revision such as a commit hash or tag.`);
  }
  return { commit };
}

async function logPage(git: SimpleGit, since: { commit: string } | null, skip: number): Promise<LoggedCommit[]> {
  const range = since ? `${since.commit}..HEAD` : 'HEAD';
  const out = await git.raw(['-c', 'core.quotePath=false', 'log', '--no-merges', '--no-renames', '--numstat', `--format=%x1e%H%x1f%P%x1f%B%x1f`, `--skip=${skip}`, `-n${PAGE}`, range, '--']);
  const commits: LoggedCommit[] = [];
  for (const chunk of out.split('\x1e')) {
    const [hash, parents, message, stat] = chunk.split('\x1f');
    if (!hash?.trim() || stat === undefined) continue;
    const files = stat
      .split('\n')
      .map((line) => /^(-|\d+)\t(-|\d+)\t(.+)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ path: m[3], changed: m[1] === '-' ? null : Number(m[1]) + Number(m[2]) }));
    commits.push({ hash: hash.trim(), parents: parents.trim().split(/\s+/).filter(Boolean), message: message.trim(), files });
  }
  return commits;
}

interface IssueText {
  name: string;
  text: string;
}

function issueFolder(dir: string): Map<string, IssueText> {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
    names = readdirSync(dir).filter((n) => /\.(md|markdown)$/i.test(n));
  } catch {
    throw new EvalError(`--issues ${dir} is not a folder of .md issue texts; give a folder with files such as 123.md.`);
  }
  const byNumber = new Map<string, IssueText>();
  for (const name of names.sort()) {
    const number = /^#?(\d+)(?:[-_ .]|$)/.exec(name)?.[1];
    if (!number || byNumber.has(number)) continue;
    const text = readFileSync(join(dir, name), 'utf8').trim();
    if (text) byNumber.set(number, { name: `#${number}`, text });
  }
  return byNumber;
}

function linkedIssues(message: string, issues: Map<string, IssueText>): IssueText[] {
  const seen = new Set<string>();
  const out: IssueText[] = [];
  for (const m of message.matchAll(/(?:^|[\s(])#(\d+)\b/g)) {
    const issue = issues.get(m[1]);
    if (issue && !seen.has(m[1])) {
      seen.add(m[1]);
      out.push(issue);
    }
  }
  return out;
}
