/**
 * Keeps the first and the last part of a stream of output within `maxBytes`, dropping the
 * middle, and counts what it dropped. The end of a command's output (the error, the summary) is
 * usually what matters most, the start shows what ran.
 */
export class OutputClip {
  private readonly headLimit: number;
  private readonly tailLimit: number;
  private head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;

  constructor(readonly maxBytes: number) {
    const max = Math.max(0, Math.floor(maxBytes));
    this.headLimit = Math.floor(max / 2);
    this.tailLimit = max - this.headLimit;
  }

  push(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0 || this.tailLimit === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    while (this.tailBytes - this.tail[0].length >= this.tailLimit) this.tailBytes -= this.tail.shift()!.length;
  }

  get truncated(): boolean {
    return this.total > this.maxBytes;
  }

  get omitted(): number {
    return this.truncated ? this.total - this.maxBytes : 0;
  }

  text(): string {
    const head = Buffer.concat(this.head);
    let tail = Buffer.concat(this.tail);
    if (tail.length > this.tailLimit) tail = tail.subarray(tail.length - this.tailLimit);
    if (!this.truncated) return Buffer.concat([head, tail]).toString('utf8');
    const before = head.toString('utf8');
    const after = tail.toString('utf8');
    const sepBefore = before.endsWith('\n') || before === '' ? '' : '\n';
    const sepAfter = after.startsWith('\n') || after === '' ? '' : '\n';
    return `${before}${sepBefore}[output clipped: ${this.omitted} bytes omitted]${sepAfter}${after}`;
  }
}
