import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { POOL_TAG_VARIABLE } from './owner-lock';
import { AGENT_ROOT } from './types';

let cachedAvailable: boolean | undefined;

function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** True when bubblewrap is installed and can create the namespaces we use (some kernels forbid them). */
export function bwrapAvailable(): boolean {
  if (cachedAvailable !== undefined) return cachedAvailable;
  cachedAvailable = false;
  if (process.platform === 'linux' && onPath('bwrap')) {
    const probe = spawnSync('bwrap', ['--ro-bind', '/', '/', '--unshare-net', '--unshare-pid', '--die-with-parent', '--dev', '/dev', '--proc', '/proc', 'true'], {
      timeout: 10_000,
      stdio: 'ignore',
    });
    cachedAvailable = probe.status === 0;
  }
  return cachedAvailable;
}

/** Where a sandbox sees the copy's object store: outside /testbed, in the sandbox's own fresh root. */
export const OBJECTS_MOUNT = '/run/testbed/objects';

export interface BwrapLayout {
  copyRoot: string;
  /** The pack of the base commit's objects, mounted read-only at OBJECTS_MOUNT. */
  objectStore: string;
  /** Files replacing /etc/passwd, /etc/group and /etc/hostname, so the user's name does not show. */
  passwdFile: string;
  groupFile: string;
  hostnameFile: string;
}

/** Top-level system folders shown read-only (or as the same symbolic link as on the host). */
const SYSTEM_DIRS = ['usr', 'bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32', 'etc', 'opt'];
/** Readable by root only; blanked so a sandbox run as root cannot read them either. */
const SECRET_FILES = ['/etc/shadow', '/etc/gshadow', '/etc/shadow-', '/etc/gshadow-'];

/**
 * bwrap's setup options for a command with the copy at /testbed: an empty root filesystem (a
 * fresh tmpfs for every command) holding read-only system folders, a private /tmp (also HOME), no
 * network, its own pid, ipc and uts namespaces, no capabilities, and everything dies with us.
 * Every mount point lies in that fresh root, none inside the copy, so nothing the agent makes in
 * /testbed (a symbolic link where a mount would go) can steer a mount. The root is made
 * read-only last. They are handed to bwrap on a file descriptor (see bwrapCommand), not in its
 * command line, which a sandbox can read as /proc/1/cmdline.
 */
export function bwrapSetupArgs(layout: BwrapLayout): string[] {
  const args = ['--die-with-parent', '--new-session', '--unshare-net', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--hostname', 'testbed'];
  args.push('--tmpfs', '/');
  for (const name of SYSTEM_DIRS) {
    const host = `/${name}`;
    let st;
    try {
      st = lstatSync(host);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push('--symlink', readlinkSync(host), host);
    else if (st.isDirectory()) args.push('--ro-bind', host, host);
  }
  args.push('--ro-bind', layout.passwdFile, '/etc/passwd', '--ro-bind', layout.groupFile, '/etc/group', '--ro-bind', layout.hostnameFile, '/etc/hostname');
  for (const secret of SECRET_FILES) if (existsSync(secret)) args.push('--ro-bind', '/dev/null', secret);
  args.push('--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--dir', '/var', '--tmpfs', '/var/tmp');
  args.push('--dir', AGENT_ROOT, '--bind', layout.copyRoot, AGENT_ROOT);
  args.push('--dir', OBJECTS_MOUNT, '--ro-bind', layout.objectStore, OBJECTS_MOUNT);
  args.push('--remount-ro', '/', '--chdir', AGENT_ROOT, '--unsetenv', POOL_TAG_VARIABLE);
  if (process.getuid?.() === 0) args.push('--cap-drop', 'ALL');
  return args;
}

/** The file descriptor bwrap reads its setup options from. */
export const BWRAP_ARGS_FD = 3;

/**
 * How to start `argv` under bwrap: the command line names only bwrap, the fd and `argv` (the
 * agent's own command); the setup options, which hold host paths, go in through fd 3 as
 * NUL-terminated strings, which bwrap reads and closes before the command starts.
 */
export function bwrapCommand(layout: BwrapLayout, argv: string[]): { argv: string[]; fd3: string } {
  return {
    argv: [bwrapPath(), '--args', String(BWRAP_ARGS_FD), '--', ...argv],
    fd3: bwrapSetupArgs(layout).map((a) => `${a}\0`).join(''),
  };
}

/** Absolute path of bwrap, so the sandbox's own PATH does not decide which program starts. */
export function bwrapPath(): string {
  return onPath('bwrap') ?? 'bwrap';
}
