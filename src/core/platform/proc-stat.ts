import { readdirSync, readFileSync } from 'node:fs';

/** What /proc/PID/stat says of a process (Linux). */
export interface ProcStat {
  /** R, S, D, Z (zombie: exited, not yet reaped), X (dead), T, ... */
  state: string;
  ppid: number;
  /** Start time in clock ticks since boot: with the pid, names one process across pid reuse. */
  started: string;
}

/** The process's /proc/PID/stat fields we use, or null when there is no such process or no /proc. */
export function readProcStat(pid: number | string): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // the command name (field 2) may contain spaces and parentheses; the fields after it are plain
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 20) return null;
  return { state: fields[0], ppid: Number(fields[1]), started: fields[19] };
}

/** The ids of every process /proc shows (none without /proc). */
export function listPids(): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  return entries.filter((name) => /^\d+$/.test(name)).map(Number);
}
