import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exportDataset } from '../../src/core/dataset';
import { makeTempDir, removeDir, writeRun } from '../support/run-fixture';

// What a run's trajectories hold when the agent read secrets and the teacher talked about them.

const tmp = makeTempDir('rs-export-secrets-');
after(() => removeDir(tmp));

const PASSWORD = 'Tr0ub4dor&3xyz';
// A key file viewed from its middle: numbered body lines and the END line, but no BEGIN line.
const BODY = [
  'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQDQ7Zq3Xw8Ev5Rb',
  '2Tn7Ym4Uk1Il6Op9As0DfGh3Jk5Lz7Xc9Vb1Nm3Qw5Er7Ty9Ui1Op3As5Df7Gh9J',
  '1Lz3Xc5Vb7Nm9Qw1Er3Ty5Ui7Op9As1Df3Gh5Jk7Lz9Xc1Vb3Nm5Qw7Er9Ty1Ui3',
];
const KEY_VIEW = [...BODY, '-----END PRIVATE KEY-----'].map((l, i) => `${String(40 + i).padStart(6)}\t${l}`);

function everything(out: string): string {
  return readdirSync(out, { recursive: true })
    .map((f) => join(out, String(f)))
    .filter((p) => !p.endsWith('data'))
    .map((p) => readFileSync(p, 'utf8'))
    .join('\n');
}

describe('export scrubbing against what a run holds', () => {
  it('a secret found anywhere in the run is replaced everywhere, in prose too and in samples that are not exported', async () => {
    const runDir = join(tmp, 'run');
    writeRun(runDir, {
      runId: 'r1',
      samples: [
        // Rejected, so not exported: but it is where the agent read the .env file and the key.
        { id: 'seen', decision: 'rejected', t1: { steps: 2, plant: ['$ cat .env', `DB_PASSWORD=${PASSWORD}`, 'DEBUG=1', ...KEY_VIEW] } },
        // Exported: the teacher repeats the password and a key line where nothing marks them as secrets.
        { id: 'told', t1: { steps: 2, plant: [`so the login is admin / ${PASSWORD} as expected`] }, t2: { steps: 6, plantInArguments: `reuse ${BODY[1]} here` } },
      ],
    });
    const out = join(tmp, 'out');
    const report = await exportDataset({ runDirs: [runDir], out, workers: 0 });
    assert.equal(report.samples, 1);
    const text = everything(out);
    assert.ok(!text.includes(PASSWORD), 'the password leaked');
    for (const line of BODY) assert.ok(!text.includes(line), 'a key line leaked');
    assert.ok(text.includes('so the login is admin / <REDACTED:password> as expected'));
    assert.ok(text.includes('reuse <REDACTED:private-key> here'));
    assert.deepEqual(report.redactions.byType, { password: 1, 'private-key': 1 });
  });

  it('a private key without its BEGIN line and an unquoted .env password are caught in the row that shows them', async () => {
    const runDir = join(tmp, 'run2');
    writeRun(runDir, { runId: 'r2', samples: [{ id: 'env', t1: { steps: 2, plant: ['$ cat .env', `DB_PASSWORD=${PASSWORD}`, ...KEY_VIEW] } }] });
    const out = join(tmp, 'out2');
    const report = await exportDataset({ runDirs: [runDir], out, workers: 0, trajectories: 't1' });
    const text = everything(out);
    assert.ok(!text.includes(PASSWORD) && !BODY.some((l) => text.includes(l)), 'a secret leaked');
    assert.ok(text.includes('DB_PASSWORD=<REDACTED:password>'));
    assert.ok(text.includes('    41\\t<REDACTED:private-key>'), 'the view keeps its line numbers');
    // Each of the key's lines is replaced on its own (one note each), the password once.
    assert.deepEqual(report.redactions.byType, { 'private-key': BODY.length, password: 1 });
  });
});
