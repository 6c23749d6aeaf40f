import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runAgent } from '../../src/core/agent';
import { SandboxPool, type SandboxCopy } from '../../src/core/sandbox';
import { createTeacher } from '../../src/core/teacher';
import { makeRepo, type FixtureRepo } from '../support/fixture-repo';
import { toolCall, toolCalls, useScriptedTeachers } from '../support/scripted-teacher';

const serve = useScriptedTeachers();

let repo: FixtureRepo;
let pool: SandboxPool;

before(async () => {
  repo = await makeRepo({ 'calc.py': 'def add(a, b):\n    return a + b\n' });
  pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
});

after(async () => {
  await pool.dispose();
  await repo.cleanup();
});

const EDIT = { command: 'str_replace', path: '/testbed/calc.py', old_str: '    return a + b\n', new_str: '    return int(a) + int(b)\n' };
const SCRATCH = { command: 'create', path: '/testbed/repro.py', file_text: 'print(1)\n' };

/** Runs a rollout on a real copy, counting how often the loop asks the copy for its diff. */
async function rollout(script: Parameters<typeof serve>[0]) {
  const server = await serve(script);
  const teacher = createTeacher({ baseUrls: [server.url], model: 'test-model', maxRetries: 0 });
  const copy = await pool.acquire();
  let diffs = 0;
  const counted: SandboxCopy = Object.create(copy, {
    diff: {
      value: () => {
        diffs++;
        return copy.diff();
      },
    },
  });
  try {
    const result = await runAgent({ task: 'Make `add` accept numeric strings.', teacher, sandbox: counted });
    return { result, diffs, fresh: await copy.diff() };
  } finally {
    await copy.release();
  }
}

describe('the patch after the review on the first submit', () => {
  test('submitting again at once gives the reviewed diff as the patch', async () => {
    const { result, diffs, fresh } = await rollout([toolCall('str_replace_editor', EDIT), toolCall('submit', {}), toolCall('submit', {})]);
    assert.equal(result.exit.status, 'submitted');
    assert.equal(diffs, 1, 'the reviewed diff is the patch: nothing ran after it');
    assert.equal(result.patch, fresh);
    const review = result.trajectory.messages.filter((m) => m.role === 'tool')[1].content ?? '';
    assert.ok(review.includes(result.patch.trim()), 'the review showed the patch');
    assert.match(result.patch, /^\+    return int\(a\) \+ int\(b\)$/m);
  });

  test('a clean-up after the review is in the patch', async () => {
    const { result, diffs } = await rollout([
      toolCall('str_replace_editor', EDIT),
      toolCall('str_replace_editor', SCRATCH),
      toolCall('submit', {}),
      toolCall('bash', { command: 'rm repro.py' }),
      toolCall('submit', {}),
    ]);
    assert.equal(result.exit.status, 'submitted');
    assert.equal(diffs, 2);
    const review = result.trajectory.messages.filter((m) => m.role === 'tool')[2].content ?? '';
    assert.match(review, /repro\.py/, 'the review showed the scratch file');
    assert.doesNotMatch(result.patch, /repro\.py/);
    assert.match(result.patch, /int\(a\)/);
  });

  test('a tool call after the submit in the same reply makes the patch be computed again', async () => {
    const { result, diffs } = await rollout([
      toolCall('str_replace_editor', EDIT),
      toolCalls([
        { name: 'submit', arguments: {} },
        { name: 'str_replace_editor', arguments: SCRATCH },
      ]),
      toolCall('submit', {}),
    ]);
    assert.equal(result.exit.status, 'submitted');
    assert.equal(diffs, 2);
    assert.match(result.patch, /^\+\+\+ b\/repro\.py$/m);
  });
});
