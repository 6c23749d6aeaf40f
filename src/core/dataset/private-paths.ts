import { homedir, userInfo } from 'node:os';
import { resolve } from 'node:path';

/**
 * Where the user's own machine could show through: their checkouts (the agent saw /testbed, so
 * that is what they become), their home folder and their user name inside home paths.
 */
export function privatePathRules(checkouts: string[], env: NodeJS.ProcessEnv = process.env): { from: string; to: string }[] {
  const rules: { from: string; to: string }[] = [];
  for (const c of checkouts) {
    const abs = resolve(c).replace(/[/\\]+$/, '');
    if (abs.length > 1) rules.push({ from: abs, to: '/testbed' });
  }
  const home = safe(() => homedir());
  // /root and / name no person; replacing them would only mangle ordinary paths.
  if (home && home !== '/' && home !== '/root') rules.push({ from: home.replace(/[/\\]+$/, ''), to: '~' });
  const names = new Set([safe(() => userInfo().username), env.USER, env.LOGNAME, env.USERNAME].filter((n): n is string => !!n && n !== 'root' && n.length > 1));
  for (const name of names) {
    rules.push({ from: `/home/${name}`, to: '/home/user' }, { from: `/Users/${name}`, to: '/Users/user' }, { from: `C:\\Users\\${name}`, to: 'C:\\Users\\user' });
  }
  return rules;
}

function safe(get: () => string): string | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}
