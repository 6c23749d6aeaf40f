import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliError } from './errors';

/** commander's reducer for options that may be given several times (--include A --include B). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** A parser for a whole-number option; the message names the flag and the smallest value it takes. */
export function wholeNumber(flag: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\s*-?\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new CliError(`${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ' of 0 or more'}; got "${value}".`);
    if (n < min) throw new CliError(`${flag} must be at least ${min}; got ${n}.`);
    return n;
  };
}

/** A parser for a number from 0 to 1 (or below 1 when `inclusive` is false). */
export function fraction(flag: string, inclusive = true, meaning = '') {
  return (value: string): number => {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n) || n < 0 || (inclusive ? n > 1 : n >= 1)) {
      throw new CliError(`${flag} takes a number from 0 to ${inclusive ? '1' : 'below 1'}${meaning ? ` (${meaning})` : ''}; got "${value}".`);
    }
    return n;
  };
}

/** A parser for a number above 0 (minutes, a temperature's upper range is checked by the server). */
export function positiveNumber(flag: string, allowZero = false) {
  return (value: string): number => {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new CliError(`${flag} takes a number ${allowZero ? 'of 0 or more' : 'above 0'}; got "${value}".`);
    return n;
  };
}

/** What is at a path the user gave: the same sentence for every command when it is missing. */
export function pathKind(path: string): 'folder' | 'file' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch {
    return 'missing';
  }
}

/** Fails with a usage error unless `path` is an existing folder; `what` says what the folder should be. */
export function requireFolder(path: string, what: string): string {
  const kind = pathKind(path);
  if (kind === 'missing') throw new CliError(`${resolve(path)} does not exist; give the path of ${what}.`);
  if (kind === 'file') throw new CliError(`${resolve(path)} is a file, not a folder; give the path of ${what}.`);
  return path;
}
