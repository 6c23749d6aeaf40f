import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { bwrapAvailable, SandboxPool, type SandboxCopy } from '../../src/core/sandbox';
import { makeRepo, processesMatching, tempDir, waitFor, type TempRepo } from './sandbox-helpers';

let repo: TempRepo;
let poolDir: string;
let bwrapPool: SandboxPool;
let hostPool: SandboxPool;
let copy: SandboxCopy;
let server: Server;
let port: number;
let requests = 0;
const SECRET = 'sk-bwrap-secret-value-0815';

before(async () => {
  assert.ok(bwrapAvailable(), 'bubblewrap is needed for these tests: apt-get install -y bubblewrap');
  process.env.OPENAI_API_KEY = SECRET;
  repo = makeRepo({ 'app.py': 'print("app")\n', 'lib/util.py': 'X = 1\n' });
  poolDir = tempDir('sandbox-bwrap-pool-');
  bwrapPool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'bwrap' });
  hostPool = await SandboxPool.create({ repoRoot: repo.root, poolDir, mode: 'host' });
  copy = await bwrapPool.acquire();
  server = createServer((_req, res) => {
    requests++;
    res.end('hello-from-host');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  delete process.env.OPENAI_API_KEY;
  await new Promise((resolve) => server.close(resolve));
  await bwrapPool.dispose();
  await hostPool.dispose();
  repo.cleanup();
  rmSync(poolDir, { recursive: true, force: true });
});

const run = (c: SandboxCopy, command: string, timeoutMs = 10_000) => c.run(command, { timeoutMs, maxOutputBytes: 200_000 });

/** An HTTP GET through bash's /dev/tcp, so no client program is needed. */
const fetchCommand = () =>
  `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET / HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3 && cat <&3`;

describe('bwrap sandbox', () => {
  test('the copy is at /testbed, writable, and the mode says bwrap', async () => {
    assert.equal(copy.mode, 'bwrap');
    const r = await run(copy, 'pwd; cat app.py; echo written > /testbed/inside.txt; ls');
    assert.equal(r.exitCode, 0, r.output);
    assert.match(r.output, /^\/testbed\nprint\("app"\)\n/);
    assert.equal(readFileSync(join(copy.root, 'inside.txt'), 'utf8'), 'written\n');
  });

  test('network access is refused inside, while the same request works on the host', async () => {
    const host = await hostPool.acquire();
    try {
      const control = await run(host, fetchCommand());
      assert.match(control.output, /hello-from-host/, 'the control request on the host should reach the server');
    } finally {
      await host.release();
    }
    const before = requests;
    const r = await run(copy, fetchCommand());
    assert.notEqual(r.exitCode, 0);
    assert.ok(!r.output.includes('hello-from-host'));
    assert.equal(requests, before, 'the server saw a request from inside the sandbox');
    const ifaces = await run(copy, 'cat /proc/net/dev');
    assert.ok(!/eth|ens|wlan|veth/.test(ifaces.output), `network interfaces visible: ${ifaces.output}`);
  });

  test('writes outside the copy fail: the system is read-only and the user repository is not there', async () => {
    const target = join(repo.root, 'pwned.txt');
    const r = await run(
      copy,
      `touch /etc/sbx-probe; touch /usr/sbx-probe; touch /sbx-probe; echo x > ${target}; ls ${repo.root}; echo done`,
    );
    assert.match(r.output, /done\n$/);
    assert.ok(!existsSync('/etc/sbx-probe'));
    assert.ok(!existsSync('/usr/sbx-probe'));
    assert.ok(!existsSync('/sbx-probe'));
    assert.ok(!existsSync(target), "a command wrote into the user's repository");
    assert.match(r.output, /Read-only file system/);
  });

  test('no keys, host name or user name inside; git works against the base commit', async () => {
    const r = await run(copy, 'env; hostname; whoami; git status --porcelain; git log -1 --format=%H; cat /proc/self/mountinfo');
    assert.equal(r.exitCode, 0, r.output);
    assert.ok(!r.output.includes(SECRET));
    assert.match(r.output, /^HOME=\/tmp$/m);
    assert.match(r.output, /^testbed$/m);
    assert.ok(r.output.includes(bwrapPool.baseCommit));
    assert.ok(!r.output.includes(repo.root), 'the user repository path shows inside');
    assert.ok(!r.output.includes(copy.root), 'the copy path shows inside');
    assert.ok(!r.output.includes(poolDir), 'the pool path shows inside');
  });

  test('git stash and commit work inside and leave nothing behind for the next rollout', async () => {
    const mine = await bwrapPool.acquire();
    const r = await run(mine, 'echo changed >> app.py && git stash -q && git stash list | wc -l && echo n > n.txt && git add n.txt && git commit -qm agent && git log --oneline | wc -l');
    assert.equal(r.exitCode, 0, r.output);
    assert.equal(r.output, '1\n2\n');
    const root = mine.root;
    await mine.release();
    let again = await bwrapPool.acquire();
    const extra: SandboxCopy[] = [];
    while (again.root !== root) {
      extra.push(again);
      again = await bwrapPool.acquire();
    }
    const after = await run(again, 'git stash list | wc -l; git log --oneline | wc -l; git status --porcelain; ls');
    assert.equal(after.output, '0\n1\napp.py\nlib\n');
    await again.release();
    for (const e of extra) await e.release();
  });

  test('a timeout kills everything started inside the sandbox', async () => {
    const r = await run(copy, 'sleep 391 & sleep 392', 600);
    assert.equal(r.timedOut, true);
    for (const marker of ['sleep 391', 'sleep 392']) {
      assert.ok(await waitFor(() => processesMatching(marker).length === 0, 2000), `${marker} survived`);
    }
  });
});
