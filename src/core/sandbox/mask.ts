import { homedir, userInfo } from 'node:os';

/** Account names too generic to hide without mangling ordinary text. */
const GENERIC_USERS = new Set(['root', 'user', 'admin', 'runner', 'ubuntu', 'debian', 'node', 'vscode', 'codespace', 'pi', 'nobody']);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}

/**
 * Rewrites text meant for the agent so that no host path or user name reaches the teacher:
 * each known host folder becomes the neutral path the agent knows it by, and the user's name
 * becomes "user". Longer paths are replaced first, so a copy inside the pool folder maps to
 * /testbed rather than to the pool's neutral name.
 */
export class PathMasker {
  private readonly pairs: [RegExp, string][];
  private readonly userPattern: RegExp | null;

  constructor(mappings: [hostPath: string, shownAs: string][], home = homedir(), userName = currentUserName()) {
    const all: [string, string][] = [...mappings];
    if (home && home !== '/') all.push([home, '/home/user']);
    const seen = new Set<string>();
    this.pairs = all
      .map(([host, shown]) => [host.replace(/\/+$/, ''), shown] as [string, string])
      .filter(([host]) => host.length > 1 && !seen.has(host) && (seen.add(host), true))
      .sort((a, b) => b[0].length - a[0].length)
      // a path only matches whole: /pool/c1 must not rewrite the start of /pool/c10
      .map(([host, shown]) => [new RegExp(`${escapeRegExp(host)}(?![\\w.-])`, 'g'), shown]);
    this.userPattern =
      userName.length >= 3 && !GENERIC_USERS.has(userName.toLowerCase())
        ? new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(userName)}(?![A-Za-z0-9_])`, 'g')
        : null;
  }

  mask(text: string): string {
    let out = text;
    for (const [pattern, shown] of this.pairs) out = out.replace(pattern, () => shown);
    if (this.userPattern) out = out.replace(this.userPattern, 'user');
    return out;
  }
}
