import { once } from 'node:events';
import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs';

const FLUSH_AT = 1 << 20;
const NEWLINE = Buffer.from('\n');

/**
 * JSON Lines written through a temporary file, in chunks of about a megabyte, renamed into place
 * only when the export completes: a stopped export never leaves a file that looks finished.
 */
export class LineWriter {
  private readonly stream: WriteStream;
  private readonly tmp: string;
  private buffer: Uint8Array[] = [];
  private buffered = 0;
  bytes = 0;
  lines = 0;

  constructor(private readonly path: string) {
    this.tmp = `${path}.partial`;
    this.stream = createWriteStream(this.tmp);
  }

  /** One line without its newline: text, or its UTF-8 bytes as a worker thread hands them over. */
  write(line: string | Uint8Array): void {
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    this.buffer.push(bytes, NEWLINE);
    this.buffered += bytes.length + 1;
    this.lines++;
    if (this.buffered >= FLUSH_AT) this.flush();
  }

  /** Resolves once the file system has caught up, so memory stays flat however fast rows come. */
  async drained(): Promise<void> {
    if (this.stream.writableNeedDrain) await once(this.stream, 'drain');
  }

  private flush(): void {
    if (!this.buffer.length) return;
    const chunk = Buffer.concat(this.buffer, this.buffered);
    this.bytes += chunk.length;
    this.stream.write(chunk);
    this.buffer = [];
    this.buffered = 0;
  }

  async finish(): Promise<void> {
    this.flush();
    this.stream.end();
    await once(this.stream, 'finish');
    renameSync(this.tmp, this.path);
  }

  async abandon(): Promise<void> {
    // The file is opened asynchronously: removing it before the stream has closed could let the
    // open create it again afterwards.
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    rmSync(this.tmp, { force: true });
  }
}
