import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { SkipReason } from './types';
import { looksGenerated } from './skip-rules';

export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;

export type SourceText = { text: string; encoding: 'utf-8' | 'utf-16' | 'latin1' } | { skip: SkipReason; detail?: string };

// A link swapped in after the listing is not followed; a pipe does not block the open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a source file as text, refusing what is not source: too large, binary, or generated.
 * Text that is not valid UTF-8 is read as Latin-1 so its functions are still found.
 */
export function readSource(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES, honourGenerated = true): SourceText {
  let fd: number;
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return { skip: 'symbolic-link' };
    return { skip: 'unreadable', detail: code ?? String(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { skip: 'unreadable', detail: 'not a regular file' };
    const size = stat.size;
    if (size > maxBytes) return { skip: 'too-large', detail: `${size} bytes, limit ${maxBytes}` };
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const bytes = buf.subarray(0, read);
    const text = decode(bytes);
    if (!text) return { skip: 'binary' };
    // Tree-sitter counts lines by \n only; editors also break lines at a lone \r (classic Mac files).
    if (text.text.includes('\r')) text.text = text.text.replace(/\r(?!\n)/g, '\n');
    if (honourGenerated && looksGenerated(text.text.slice(0, 1500))) return { skip: 'generated' };
    return text;
  } catch (error) {
    return { skip: 'unreadable', detail: (error as Error).message };
  } finally {
    closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer): { text: string; encoding: 'utf-8' | 'utf-16' | 'latin1' } | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16' };
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) {
    const unit = utf16WithoutBom(head);
    return unit ? { text: new TextDecoder(unit).decode(bytes), encoding: 'utf-16' } : undefined;
  }
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  try {
    return { text: utf8.decode(bytes.subarray(start)), encoding: 'utf-8' };
  } catch {
    return { text: bytes.toString('latin1'), encoding: 'latin1' };
  }
}

/** Mostly-ASCII UTF-16 text without a byte order mark has a zero in every other byte and nowhere else. */
function utf16WithoutBom(head: Buffer): 'utf-16le' | 'utf-16be' | undefined {
  if (head.length < 4 || head.length % 2) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < head.length; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = head.length / 2;
  if (oddZeros >= pairs * 0.9 && evenZeros === 0) return 'utf-16le';
  if (evenZeros >= pairs * 0.9 && oddZeros === 0) return 'utf-16be';
  return undefined;
}
