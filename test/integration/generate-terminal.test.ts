import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI_ENTRY } from '../support/cli-process';
import { useScriptedTeachers } from '../support/scripted-teacher';
import { makeScenarioRepo } from '../support/svg-fixture';
import { svgTeacher } from '../support/svg-teacher';

const serve = useScriptedTeachers();
const scratch = mkdtempSync(join(tmpdir(), 'generate-tty-'));
// A tmux server of this test's own (its own socket), so no other tmux session is touched.
const socket = join(scratch, 'tmux.sock');
const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8' });
after(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  rmSync(scratch, { recursive: true, force: true });
});

const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'gen');

async function waitFor(what: string, ok: (text: string) => boolean, limitMs = 90_000): Promise<string> {
  const until = Date.now() + limitMs;
  for (;;) {
    const text = screen();
    if (ok(text)) return text;
    if (Date.now() > until) throw new Error(`the terminal never showed ${what}; it shows:\n${text}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('Ctrl+C on a real terminal: the "Stopping" line and the summary stay readable under the progress bar', async () => {
  const repo = await makeScenarioRepo(['reproduce', 'half', 'elsewhere', 'leak', 'empty-p2', 'judge-no']);
  const server = await serve(svgTeacher(), { latencyMs: 400 });
  const out = join(scratch, 'run');
  const script = join(scratch, 'generate.sh');
  writeFileSync(
    script,
    [
      `cd ${JSON.stringify(repo.root)}`,
      `SPECIALIZE_API_KEY= ${JSON.stringify(process.execPath)} --import ${JSON.stringify(require.resolve('tsx'))} ${JSON.stringify(CLI_ENTRY)} generate . --out ${JSON.stringify(out)} --base-url ${server.url} --model test-model --samples 6 --concurrency 1 --sandbox host`,
      'echo "EXIT=$?"',
      'sleep 600',
    ].join('\n'),
  );
  tmux('new-session', '-d', '-s', 'gen', '-x', '160', '-y', '40', `bash ${script}`);
  // The bar is up once a sample has finished (its counts show), and the run is still going.
  await waitFor('a progress bar', (t) => /\b[1-5]\/6 samples \| verified/.test(t));
  tmux('send-keys', '-t', 'gen', 'C-c');
  const text = await waitFor('the exit code', (t) => /EXIT=\d+/.test(t));
  const lines = text.split('\n').map((l) => l.trimEnd());
  assert.match(text, /EXIT=130/, text);
  const stopping = lines.findIndex((l) => l === 'Stopping: in-flight samples are cancelled and will resume next time. Press Ctrl+C again to quit at once.');
  assert.ok(stopping > 0, `no intact "Stopping" line:\n${text}`);
  // The bar's last state sits on its own line above it, whole.
  assert.match(lines[stopping - 1], /^ \S+ [1-5]\/6 samples \| verified \d+ below \d+ failed \d+ \| [\d,]+ tok \| ETA \S+$/, text);
  const after = lines.slice(stopping + 1).filter(Boolean);
  assert.match(after[0], /^Run directory: /, text);
  assert.match(after[1], /^[1-5]\/6 samples done: \d+ verified, \d+ below threshold, \d+ failed; [\d,]+ tokens; \d+s\.$/, text);
  assert.match(after[2], /^Stopped by Ctrl\+C with [1-5] samples? left; run the same command with --out \S+ to resume\.$/, text);
  assert.match(after[3], /^Next: /, text);
  assert.match(after[4], /^EXIT=130$/, text);
  await repo.cleanup();
});
