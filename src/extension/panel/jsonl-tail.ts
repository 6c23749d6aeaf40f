import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface TailLine {
  text: string;
  /** Byte position and length of the line in the file, to read it again later without keeping it. */
  offset: number;
  length: number;
}

/**
 * Reads the complete lines appended to a JSON Lines file since the last call. A line still being
 * written (no newline yet) is left for the next call. A file that shrank was replaced (a merge or
 * a new run in the same folder): `reset` says so and reading starts over.
 */
export class JsonlTail {
  private offset = 0;

  constructor(readonly path: string) {}

  read(): { lines: TailLine[]; reset: boolean } {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      const reset = this.offset > 0;
      this.offset = 0;
      return { lines: [], reset };
    }
    try {
      const size = fstatSync(fd).size;
      let reset = false;
      if (size < this.offset) {
        this.offset = 0;
        reset = true;
      }
      if (size === this.offset) return { lines: [], reset };
      const buf = Buffer.allocUnsafe(size - this.offset);
      let got = 0;
      while (got < buf.length) {
        const n = readSync(fd, buf, got, buf.length - got, this.offset + got);
        if (n === 0) break;
        got += n;
      }
      const lines: TailLine[] = [];
      let start = 0;
      for (let nl = buf.indexOf(0x0a, 0); nl !== -1 && nl < got; nl = buf.indexOf(0x0a, start)) {
        if (nl > start) lines.push({ text: buf.toString('utf8', start, nl), offset: this.offset + start, length: nl - start });
        start = nl + 1;
      }
      this.offset += start;
      return { lines, reset };
    } finally {
      closeSync(fd);
    }
  }
}

/** Reads one line back from where a JsonlTail saw it. */
export function readLineAt(path: string, offset: number, length: number): string {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(length);
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } finally {
    closeSync(fd);
  }
}
