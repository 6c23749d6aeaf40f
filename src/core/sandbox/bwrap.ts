import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
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

/** A read-only mount of a host folder at a path inside the sandbox, optionally hiding one of its files. */
export interface ExtraMount {
  host: string;
  target: string;
  /** A file inside the mounted folder to show as empty (e.g. an alternates file naming host paths). */
  blankFile?: string;
}

export interface BwrapLayout {
  copyRoot: string;
  /** Mounted read-only after the copy, e.g. the object stores the copy's git reads. */
  mounts: ExtraMount[];
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
 * bwrap arguments for running `argv` with the copy at /testbed: an empty root filesystem holding
 * read-only system folders, a private /tmp (also HOME), no network, its own pid, ipc and uts
 * namespaces, no capabilities, and everything dies with us. The root is made read-only last.
 */
export function buildBwrapArgs(layout: BwrapLayout, argv: string[]): string[] {
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
  for (const m of layout.mounts) {
    args.push('--ro-bind', m.host, m.target);
    if (m.blankFile) args.push('--ro-bind', '/dev/null', `${m.target}/${m.blankFile}`);
  }
  args.push('--remount-ro', '/', '--chdir', AGENT_ROOT);
  if (process.getuid?.() === 0) args.push('--cap-drop', 'ALL');
  args.push('--', ...argv);
  return args;
}

/** Absolute path of bwrap, so the sandbox's own PATH does not decide which program starts. */
export function bwrapPath(): string {
  return onPath('bwrap') ?? 'bwrap';
}
