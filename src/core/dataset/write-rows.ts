import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { EXPORT_FILES } from './files';
import { LineWriter } from './line-writer';
import type { RowOutcome } from './row';
import type { RowTicket } from './select';
import type { ExportTally } from './tally';

/**
 * Where each rendered row goes, in the order the rows were selected: left out if its patch
 * repeats one already written, else into its split's file; its redaction notes into
 * redactions.jsonl. Without an output folder (a preview) nothing is written, only counted.
 */
export class RowSink {
  private readonly files: { train: LineWriter; validation: LineWriter | null; redactions: LineWriter } | null;
  private readonly seenPatches = new Set<string>();

  constructor(out: string | null, withValidation: boolean, private readonly tally: ExportTally, private readonly dedupe: boolean) {
    this.files = out
      ? {
          train: new LineWriter(join(out, EXPORT_FILES.train)),
          validation: withValidation ? new LineWriter(join(out, EXPORT_FILES.validation)) : null,
          redactions: new LineWriter(join(out, EXPORT_FILES.redactions)),
        }
      : null;
  }

  place(outcome: RowOutcome, ticket: RowTicket): void {
    const { meta } = ticket;
    if (outcome.kind === 'dropped') {
      this.tally.drop(outcome.reason);
      return this.tally.handled();
    }
    for (const r of outcome.redactions) {
      this.tally.redaction(r.type);
      this.files?.redactions.write(JSON.stringify({ id: meta.id, sample_id: meta.sample_id, trajectory: meta.trajectory, field: r.field, type: r.type }));
    }
    if (this.dedupe) {
      const key = createHash('sha1').update(meta.trajectory).update('\0').update(ticket.patch).digest('base64');
      if (this.seenPatches.has(key)) {
        this.tally.drop('duplicate-patch');
        return this.tally.handled();
      }
      this.seenPatches.add(key);
    }
    const split = ticket.validation ? 'validation' : 'train';
    this.files?.[split]?.write(outcome.line);
    this.tally.written(meta, split, outcome.tokens, outcome.truncated);
    this.tally.handled();
  }

  /** Waits until the files have taken what was written so far, so memory stays flat. */
  async drained(): Promise<void> {
    if (!this.files) return;
    await this.files.train.drained();
    await this.files.validation?.drained();
    await this.files.redactions.drained();
  }

  /** Puts the files in place; returns the bytes of data written. */
  async finish(): Promise<number> {
    if (!this.files) return 0;
    const { train, validation, redactions } = this.files;
    await Promise.all([train.finish(), validation?.finish(), redactions.finish()]);
    return train.bytes + (validation?.bytes ?? 0);
  }

  /** Removes what was written: for an export that failed or was cancelled. */
  async abandon(): Promise<void> {
    if (!this.files) return;
    const { train, validation, redactions } = this.files;
    await Promise.all([train.abandon(), validation?.abandon(), redactions.abandon()]);
  }
}
