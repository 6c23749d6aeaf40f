import { AGENT_ROOT } from './types';
import { OBJECTS_MOUNT } from './bwrap';
import { SHELL_WRAPPER } from './sandbox-env';

export interface DockerRunOptions {
  /** Container name, so a timed-out command's container can be killed by name. */
  name?: string;
  /** The object store the copy's git reads, mounted read-only at OBJECTS_MOUNT (outside the copy). */
  objectStore?: string;
  /** uid:gid to run as, so files written in /testbed belong to the user and can be cleaned. */
  user?: string;
  env?: Record<string, string>;
  /** The container's process limit (docker's pids cgroup). */
  maxProcesses?: number;
}

/**
 * argv for running `command` in `image` with the copy mounted at /testbed: no network, a
 * read-only root filesystem with a private /tmp, no capabilities.
 */
export function buildDockerCommand(image: string, hostRoot: string, command: string, options: DockerRunOptions = {}): string[] {
  const argv = ['docker', 'run', '--rm', '--network', 'none', '--read-only', '--tmpfs', '/tmp', '--cap-drop', 'ALL', '--security-opt', 'no-new-privileges'];
  if (options.name) argv.push('--name', options.name);
  if (options.user) argv.push('--user', options.user);
  if (options.maxProcesses) argv.push('--pids-limit', String(options.maxProcesses));
  argv.push('-v', `${hostRoot}:${AGENT_ROOT}`);
  if (options.objectStore) argv.push('-v', `${options.objectStore}:${OBJECTS_MOUNT}:ro`);
  argv.push('-w', AGENT_ROOT);
  // the copy belongs to the host user, not to the container's: let git inside accept it
  const env: Record<string, string> = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'safe.directory', GIT_CONFIG_VALUE_0: '*', ...(options.env ?? {}) };
  for (const [k, v] of Object.entries(env)) argv.push('-e', `${k}=${v}`);
  argv.push('--entrypoint', '/bin/sh', image, '-c', SHELL_WRAPPER, 'sh', command);
  return argv;
}
