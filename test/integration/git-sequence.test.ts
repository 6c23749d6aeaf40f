import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GitCommandError, gitExecSequence } from '../../src/core/sandbox/git-exec';

const env = { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };

describe('git commands in one shell', () => {
  test('passes every argument through unchanged and returns only the last command\'s output', async () => {
    const tricky = `it's "quoted" $HOME \`date\` ; rm -rf / && echo no`;
    const out = await gitExecSequence([['--version'], ['-c', `x.y=${tricky}`, 'config', 'x.y']], env, '/tmp');
    assert.equal(out, `${tricky}\n`);
  });

  test('stops at the first command that fails and reports it', async () => {
    await assert.rejects(
      gitExecSequence([['no-such-command'], ['--version']], env, '/tmp'),
      (e: Error) => e instanceof GitCommandError && /no-such-command/.test(e.message) && e.exitCode === 1,
    );
  });
});
