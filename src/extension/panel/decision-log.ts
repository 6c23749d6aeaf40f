import { join } from 'node:path';
import { FILES, JsonlWriter, type DecisionRecord } from '../../core/store';
import type { Decision, DecisionChange } from '../../protocol';
import type { RunModel } from './run-model';

/** How many actions (single or bulk) can be undone; older ones are forgotten. */
const UNDO_DEPTH = 200;

/**
 * Writes curation decisions to the run's append-only decisions.jsonl and undoes them. Undo never
 * rewrites the file: it appends the earlier decision again, so "latest line wins" gives it back.
 * A decision line always carries the sample's current note (and a note line its current decision),
 * because only the latest line of a sample counts.
 */
export class DecisionLog {
  private readonly undoStack: DecisionChange[][] = [];

  constructor(private readonly model: RunModel, private readonly now: () => Date = () => new Date()) {}

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  decide(ids: string[], decision: Decision): DecisionChange[] {
    const changes: DecisionChange[] = [];
    const previous: DecisionChange[] = [];
    const seen = new Set<string>();
    for (const id of ids) {
      if (seen.has(id) || !this.model.has(id)) continue;
      seen.add(id);
      const current = this.current(id);
      if (current.decision === decision) continue;
      previous.push(current);
      changes.push({ id, decision, note: current.note });
    }
    this.write(changes);
    this.remember(previous);
    return changes;
  }

  setNote(id: string, note: string): DecisionChange[] {
    if (!this.model.has(id)) return [];
    const current = this.current(id);
    const trimmed = note.trim() ? note : '';
    if (current.note === trimmed) return [];
    const change = { id, decision: current.decision, note: trimmed };
    this.write([change]);
    this.remember([current]);
    return [change];
  }

  /** Restores the samples of the last action to what they were before it; null when there is nothing to undo. */
  undo(): DecisionChange[] | null {
    const previous = this.undoStack.pop();
    if (!previous) return null;
    this.write(previous);
    return previous;
  }

  private current(id: string): DecisionChange {
    const d = this.model.decisions.get(id);
    return { id, decision: d?.decision ?? 'undecided', note: d?.note ?? '' };
  }

  private remember(previous: DecisionChange[]): void {
    if (!previous.length) return;
    this.undoStack.push(previous);
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
  }

  private write(changes: DecisionChange[]): void {
    if (!changes.length) return;
    // One open file for a bulk action: 20,000 decisions are one append each, not 20,000 opens.
    const writer = new JsonlWriter(join(this.model.dir, FILES.decisions));
    const at = this.now().toISOString();
    try {
      for (const c of changes) {
        const record: DecisionRecord = { sampleId: c.id, decision: c.decision, at };
        if (c.note) record.note = c.note;
        writer.append(record);
        this.model.noteDecision(record);
      }
      // Decisions are the user's work: make them survive a crash or power cut right away.
      writer.sync();
    } finally {
      writer.close();
    }
  }
}
