import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { AGENT_ROOT } from './types';

/** A path the agent may not touch. The message is written for the agent and names only its own path. */
export class JailError extends Error {
  override name = 'JailError';
}

const MAX_LINK_HOPS = 40;

function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === code;
}

/**
 * The real path `p` leads to, following symbolic links on every existing component, including a
 * dangling link at the end (whose target does not exist yet but would be created by a write).
 */
export function realPathThroughLinks(p: string, hops = 0): string {
  if (hops > MAX_LINK_HOPS) throw new JailError('too many levels of symbolic links');
  try {
    return realpathSync(p);
  } catch (error) {
    if (isErrno(error, 'ELOOP')) throw new JailError('the path goes through a loop of symbolic links');
    if (!isErrno(error, 'ENOENT') && !isErrno(error, 'ENOTDIR')) throw error;
  }
  const parent = dirname(p);
  if (parent === p) return p;
  let link: string | undefined;
  try {
    if (lstatSync(p).isSymbolicLink()) link = readlinkSync(p);
  } catch {
    // p does not exist at all: its real path is its parent's plus its name
  }
  if (link !== undefined) return realPathThroughLinks(resolve(realPathThroughLinks(parent, hops + 1), link), hops + 1);
  return join(realPathThroughLinks(parent, hops + 1), basename(p));
}

function within(root: string, p: string): boolean {
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}

function isGitInternal(root: string, p: string): boolean {
  const rel = relative(root, p);
  return rel === '.git' || rel.startsWith(`.git${sep}`);
}

/**
 * Resolves a path the agent gave ('/testbed/x', 'x', './x/../y') to a real path inside the copy at
 * `rootReal`, refusing anything that leaves it: `..` escapes, absolute paths elsewhere (/etc,
 * /proc, /dev), symbolic links whose target is outside, git's own folder, and anything that is
 * neither a regular file nor a folder (devices, pipes, sockets).
 */
export function resolveAgentPath(rootReal: string, agentPath: string): string {
  if (typeof agentPath !== 'string' || agentPath.trim() === '') throw new JailError('the path is empty; give a path under /testbed');
  if (agentPath.includes('\0')) throw new JailError('the path contains a NUL byte');
  const shown = agentPath.length > 200 ? `${agentPath.slice(0, 200)}...` : agentPath;
  const outside = () => new JailError(`path ${shown} is outside the repository at ${AGENT_ROOT}; only files under ${AGENT_ROOT} can be used`);
  if (agentPath.startsWith('~')) throw outside();
  const agentAbs = posix.resolve(AGENT_ROOT, agentPath);
  if (agentAbs !== AGENT_ROOT && !agentAbs.startsWith(`${AGENT_ROOT}/`)) throw outside();
  const rel = agentAbs.slice(AGENT_ROOT.length + 1);
  const hostPath = rel ? join(rootReal, ...rel.split('/')) : rootReal;
  const gitFolder = () =>
    new JailError(`path ${shown} is inside git's own data folder ${AGENT_ROOT}/.git; use git commands instead of editing it`);
  if (isGitInternal(rootReal, hostPath)) throw gitFolder();
  const real = realPathThroughLinks(hostPath);
  if (!within(rootReal, real)) {
    throw new JailError(`path ${shown} is a symbolic link (or goes through one) that leads outside the repository at ${AGENT_ROOT}`);
  }
  if (isGitInternal(rootReal, real)) throw gitFolder();
  let kind: 'missing' | 'ok' | 'special' = 'missing';
  try {
    const st = lstatSync(real);
    kind = st.isFile() || st.isDirectory() ? 'ok' : 'special';
  } catch {
    kind = 'missing';
  }
  if (kind === 'special') throw new JailError(`path ${shown} is not a regular file or folder (devices, pipes and sockets are refused)`);
  return real;
}

/** Maps a real path inside the copy to the '/testbed/...' path the agent knows. */
export function agentPathOf(rootReal: string, hostPath: string): string {
  if (!isAbsolute(hostPath)) throw new JailError(`path ${hostPath} is not an absolute host path`);
  const abs = resolve(hostPath);
  let candidate = abs;
  if (!within(rootReal, candidate)) {
    try {
      candidate = realPathThroughLinks(abs);
    } catch {
      // keep the logical path; the check below refuses it
    }
  }
  if (!within(rootReal, candidate)) throw new JailError(`path is outside the repository at ${AGENT_ROOT}`);
  const rel = relative(rootReal, candidate);
  return rel ? `${AGENT_ROOT}/${rel.split(sep).join('/')}` : AGENT_ROOT;
}
