import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, fstatSync, writeSync } from 'node:fs';

/**
 * An append-only JSON Lines file that survives SIGKILL: every record is one write of a whole
 * line, and a torn last line left by a killed writer is cut off when the file is opened again.
 */
export class JsonlWriter {
  private fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    repairTail(this.fd);
    closeSync(this.fd);
    this.fd = openSync(path, 'a');
  }

  append(record: unknown): void {
    writeSync(this.fd, JSON.stringify(record) + '\n');
  }

  /** Forces the records to disk; used after records that must not be lost on power failure. */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

function repairTail(fd: number): void {
  const size = fstatSync(fd).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  if (last[0] === 0x0a) return;
  // Find the last complete line and cut everything after it.
  const chunk = 64 * 1024;
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - chunk);
    const buf = Buffer.alloc(end - start);
    readSync(fd, buf, 0, buf.length, start);
    const nl = buf.lastIndexOf(0x0a);
    if (nl >= 0) {
      ftruncateSync(fd, start + nl + 1);
      return;
    }
    end = start;
  }
  ftruncateSync(fd, 0);
}

/** Reads every complete record; a torn or corrupt line (from a killed writer) is skipped, not fatal. */
export function readJsonl<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  const out: T[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // torn tail of a killed writer
    }
  }
  return out;
}
