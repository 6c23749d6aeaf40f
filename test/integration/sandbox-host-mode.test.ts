/**
 * A hostile teacher in mode 'host' (#13 item 12): the agent's command runs as the user, with the
 * process host as its parent; neither its own environment nor its parent's holds the API key.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SandboxPool } from '../../src/core/sandbox';
import { hostileRollout } from '../support/hostile-teacher';
import { makeRepo, type TempRepo } from './sandbox-helpers';

const SECRET = 'sk-host-mode-secret-3141';
let repo: TempRepo;
let pool: SandboxPool;

before(async () => {
  // set before the process host starts, as a user's key in the shell is
  process.env.OPENAI_API_KEY = SECRET;
  process.env.SPECIALIZE_API_KEY = SECRET;
  repo = makeRepo({ 'app.py': 'print("app")\n' });
  pool = await SandboxPool.create({ repoRoot: repo.root, mode: 'host' });
});

after(async () => {
  delete process.env.OPENAI_API_KEY;
  delete process.env.SPECIALIZE_API_KEY;
  await pool.dispose();
  repo.cleanup();
});

describe("mode 'host'", () => {
  test("the API key is in neither the command's environment nor its parent's", async () => {
    const { outputs } = await hostileRollout(pool, [
      'echo "parent: $(tr "\\0" " " < /proc/$PPID/cmdline)"; for f in /proc/$$/environ /proc/$PPID/environ; do base64 -w0 < $f; echo; done',
    ]);
    const [parentLine, ...encoded] = outputs[0].split('\n').filter(Boolean);
    assert.match(parentLine, /process-host/, `the parent should be the process host: ${parentLine}`);
    const decoded = encoded.map((l) => Buffer.from(l, 'base64').toString('latin1'));
    assert.equal(decoded.length, 2);
    assert.match(decoded[1], /ELECTRON_RUN_AS_NODE/, "the parent's environment was read");
    for (const text of decoded) assert.ok(!text.includes(SECRET), `the key is readable: ${text}`);
  });
});
