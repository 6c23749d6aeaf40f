import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { PatchParseError, parseUnifiedDiff, scoreOverlap, type OverlapScore } from '../../core/verify';
import { CliError } from '../errors';

export function registerScore(program: Command): void {
  program
    .command('score')
    .description('Soft-verification overlap of two patches: how many changed lines of P1 reappear in P2 (recall), and precision and F1.')
    .argument('<p1>', 'the reference patch (unified diff, e.g. rollout 1)')
    .argument('<p2>', 'the patch to check against it (e.g. rollout 2)')
    .option('--json', 'print one JSON object instead of a summary')
    .action((p1Path: string, p2Path: string, opts: { json?: boolean }) => {
      const p1 = readPatch(p1Path, 'P1');
      const p2 = readPatch(p2Path, 'P2');
      const score = scoreOverlap(p1, p2);
      const { recall, precision, f1, matched, p1Lines, p2Lines } = score;
      if (opts.json) process.stdout.write(JSON.stringify({ recall, precision, f1, matched, p1Lines, p2Lines }) + '\n');
      else process.stdout.write(formatScore(score));
    });
}

function readPatch(path: string, role: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? (error as Error).message})`;
    throw new CliError(`${role} patch ${path} ${why}; pass the path of a unified diff such as the output of git diff.`);
  }
  // A file with text but nothing diff-like is almost always the wrong file, not an empty patch.
  if (text.trim() && !looksLikeDiff(text)) {
    throw new CliError(`${role} file ${path} does not look like a unified diff (no "@@" hunk or diff header); pass the output of git diff or diff -u.`);
  }
  // Parse here, once per file, so a malformed patch is reported by its role and path.
  try {
    parseUnifiedDiff(text);
  } catch (error) {
    if (error instanceof PatchParseError) throw new CliError(`${role} patch ${path}: ${error.message.replace(/\.$/, '')}; check that the file was not edited by hand or cut short.`);
    throw error;
  }
  return text;
}

function looksLikeDiff(text: string): boolean {
  return /^(@@ |diff |--- |Index: )/m.test(text);
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

export function formatScore(s: OverlapScore): string {
  const lines = [
    `recall     ${pct(s.recall).padStart(7)}   (${s.matched} of ${s.p1Lines} changed lines of P1 reproduced in P2)`,
    `precision  ${pct(s.precision).padStart(7)}   (${s.matched} of ${s.p2Lines} changed lines of P2 also in P1)`,
    `F1         ${pct(s.f1).padStart(7)}`,
  ];
  if (s.recall === null) lines.push('', 'P1 has no changed lines, so there is no score (a sample like this is never verified).');
  return lines.join('\n') + '\n';
}
