/** PATH inside a sandbox: the system folders only. */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The neutral account the agent's commands run as, whatever the user is called. */
export const SANDBOX_USER = 'testbed';

/** Variables every sandboxed command sees. No credentials: nothing is inherited from our process. */
export function sandboxVariables(home: string, path = SANDBOX_PATH): Record<string, string> {
  return {
    PATH: path,
    HOME: home,
    USER: SANDBOX_USER,
    LOGNAME: SANDBOX_USER,
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    TERM: 'dumb',
    PAGER: 'cat',
    GIT_PAGER: 'cat',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONUNBUFFERED: '1',
    PIP_NO_INPUT: '1',
    DEBIAN_FRONTEND: 'noninteractive',
  };
}

/**
 * The environment for mode 'host': an allow-list, so API keys, tokens and anything else of the
 * user's environment stay out. PATH is kept so the user's toolchains work; HOME and TMPDIR point
 * at folders of the copy's own.
 */
export function hostModeEnvironment(home: string, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = sandboxVariables(home, process.env.PATH ?? SANDBOX_PATH);
  env.TMPDIR = tmp;
  for (const key of ['TZ', 'LC_ALL', 'LC_CTYPE']) {
    const value = process.env[key];
    if (value) env[key] = value;
  }
  return env;
}

/** Runs "$1" with bash, or sh where there is no bash, with stderr joined into stdout. */
export const SHELL_WRAPPER = 'if command -v bash >/dev/null 2>&1; then exec bash -c "$1" 2>&1; else exec sh -c "$1" 2>&1; fi';

/**
 * argv that runs `command` with bash (sh when bash is missing) and its stderr joined into stdout,
 * so the two arrive interleaved in the order they were written.
 */
export function shellArgv(command: string): string[] {
  return ['/bin/sh', '-c', SHELL_WRAPPER, 'sh', command];
}
