import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EvalError, historyTasks, messageSkip } from '../../src/core/eval';
import { changedLines } from '../../src/core/verify';
import type { FixtureRepo } from '../support/fixture-repo';
import { makeHistoryRepo, type HistoryCommit } from '../support/history-fixture';

describe('tasks from the repository history', () => {
  let repo: FixtureRepo;
  let commits: HistoryCommit[];
  const scratch = mkdtempSync(join(tmpdir(), 'eval-history-'));
  before(async () => ({ repo, commits } = await makeHistoryRepo()));
  after(async () => {
    await repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('good commits become tasks newest first; every other commit is counted under its reason', async () => {
    const { tasks, record } = await historyTasks({ repo: repo.root });
    const good = commits.filter((c) => 'lines' in c.expect).reverse();
    assert.deepEqual(tasks.map((t) => t.origin.kind === 'commit' && t.origin.commit), good.map((c) => c.hash));
    for (const [i, task] of tasks.entries()) {
      const c = good[i];
      assert.equal(task.referenceLines, (c.expect as { lines: number }).lines);
      assert.equal(changedLines(task.reference).length, task.referenceLines);
      assert.equal(task.statement, c.message);
      // The copy starts at the parent, and the reference is the commit's own change to source files.
      assert.equal(task.baseCommit, repo.git('rev-parse', `${c.hash}^`).trim());
      assert.ok(!task.reference.includes('tests/test_invoice.py'), 'test files are not part of the reference');
    }
    const expected: Record<string, number> = {};
    for (const c of commits) if ('skip' in c.expect) expected[c.expect.skip] = (expected[c.expect.skip] ?? 0) + 1;
    assert.deepEqual(record.skipped, expected);
    assert.equal(record.considered, commits.length);
  });

  test('--since keeps only later commits, --limit the newest ones, and a size bound moves commits between tasks and skips', async () => {
    const second = commits[1].hash!;
    const since = await historyTasks({ repo: repo.root, since: second });
    assert.deepEqual(since.tasks.map((t) => t.id), [`c-${commits.at(-1)!.hash!.slice(0, 12)}`]);
    assert.equal(since.record.considered, commits.length - 2);
    const limited = await historyTasks({ repo: repo.root, limit: 1 });
    assert.equal(limited.tasks.length, 1);
    assert.equal(limited.tasks[0].id, since.tasks[0].id);
    const wide = await historyTasks({ repo: repo.root, maxLines: 250 });
    assert.ok(wide.tasks.some((t) => t.referenceLines === 200), 'the 200-line commit is a task under a bound of 250');
    assert.equal(wide.record.skipped['too-large'], undefined);
    // A run directory stands for its base commit: only what came after the training data is taken.
    const run = join(scratch, 'run');
    mkdirSync(run, { recursive: true });
    writeFileSync(join(run, 'run.json'), JSON.stringify({ format: 1, runId: 'r', repository: { name: 'shop', baseCommit: second, snapshotOfUncommitted: false } }));
    assert.deepEqual((await historyTasks({ repo: repo.root, since: run })).tasks.map((t) => t.id), since.tasks.map((t) => t.id));
    await assert.rejects(historyTasks({ repo: repo.root, since: 'no-such-revision' }), (e: Error) => e instanceof EvalError && /--since no-such-revision/.test(e.message));
  });

  test('a linked issue text is added to the message that names it', async () => {
    const issues = join(scratch, 'issues');
    rmSync(issues, { recursive: true, force: true });
    mkdirSync(issues);
    writeFileSync(join(issues, '7-returns.md'), 'Returned goods lower the total twice.\n');
    writeFileSync(join(issues, '99.md'), 'Unrelated.\n');
    const { tasks } = await historyTasks({ repo: repo.root, issues });
    const newest = tasks[0];
    assert.ok(newest.origin.kind === 'commit');
    assert.deepEqual(newest.origin.issues, ['#7']);
    assert.match(newest.statement, /Linked issue #7:\n\nReturned goods lower the total twice\./);
    assert.ok(!tasks[1].statement.includes('Linked issue'), 'issue 12 has no file, so nothing is added');
    await assert.rejects(historyTasks({ repo: repo.root, issues: join(scratch, 'missing') }), /not a folder of \.md issue texts/);
  });
});

describe('commit messages that say nothing', () => {
  test('work in progress, fixups, version bumps and short messages are told apart from real ones', () => {
    const cases: [string, string | undefined][] = [
      ['wip', 'work-in-progress'],
      ['WIP: half of the parser', 'work-in-progress'],
      ['[wip] try another cache', 'work-in-progress'],
      ['fixup! Parse dates', 'fixup'],
      ['Bump version to 2.3.1', 'version-bump'],
      ['v1.4.0', 'version-bump'],
      ['chore(release): 0.9.0', 'version-bump'],
      ['Release 3.0', 'version-bump'],
      ['typo', 'work-in-progress'],
      ['Fix crash', 'message-too-short'],
      ['Parse ISO dates with a timezone offset', undefined],
      ['Bump the retry limit of the uploader because slow links time out', undefined],
      ['Update the parser so that version 2.1 files with BOMs load', undefined],
    ];
    for (const [message, reason] of cases) assert.equal(messageSkip(message, 24), reason, message);
  });
});
