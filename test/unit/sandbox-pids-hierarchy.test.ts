import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pidsHierarchyFrom } from '../../src/core/sandbox/process-limit';

// Where the per-command pids cgroups go, read from /proc/self/mountinfo and /proc/self/cgroup as
// real machines write them.

const V1_MOUNTS = [
  '30 25 0:26 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '31 25 0:27 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '35 25 0:31 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

describe('the pids hierarchy', () => {
  test('cgroup v1: the pids mount joined with our own group', () => {
    assert.deepEqual(pidsHierarchyFrom(V1_MOUNTS, '8:pids:/user.slice\n4:memory:/x\n0::/user.slice\n'), { dir: '/sys/fs/cgroup/pids/user.slice', v2: false });
  });

  test("cgroup v1 in a container: the mount shows only the container's group, so our path is taken below it", () => {
    const mounts = '31 25 0:27 /docker/abc /sys/fs/cgroup/pids ro,nosuid - cgroup cgroup rw,pids';
    assert.deepEqual(pidsHierarchyFrom(mounts, '8:pids:/docker/abc\n'), { dir: '/sys/fs/cgroup/pids', v2: false });
    assert.deepEqual(pidsHierarchyFrom(mounts, '8:pids:/docker/abc/inner\n'), { dir: '/sys/fs/cgroup/pids/inner', v2: false });
  });

  test('cgroup v2 only (systemd machines): the unified mount and the 0:: line', () => {
    const mounts = '29 23 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
    assert.deepEqual(pidsHierarchyFrom(mounts, '0::/user.slice/user-1000.slice/user@1000.service/app.slice/code.scope\n'), {
      dir: '/sys/fs/cgroup/user.slice/user-1000.slice/user@1000.service/app.slice/code.scope',
      v2: true,
    });
  });

  test('no cgroup file system (another OS, a minimal container): none', () => {
    assert.equal(pidsHierarchyFrom('22 1 0:21 / /proc rw - proc proc rw', '0::/\n'), null);
    assert.equal(pidsHierarchyFrom('', ''), null);
  });
});
