import { SandboxPool, type SandboxCopy, type SandboxMode } from '../sandbox';
import type { EvalTask } from './types';

interface Entry {
  pool: Promise<SandboxPool>;
  /** Pairs that still need a copy at this base; the pool goes when none is left. */
  remaining: number;
}

/**
 * The sandbox pools of an eval run, one per base commit. Tasks from history each start at their
 * own parent commit, so a pool is made when its first pair needs a copy and disposed when its
 * last pair is done; the run schedules the models of one task together, so only the bases of the
 * tasks in flight have pools on disk.
 */
export class BasePools {
  private readonly entries = new Map<string, Entry>();
  private readonly expected = new Map<string, number>();
  private readonly disposing: Promise<void>[] = [];

  constructor(private readonly opts: { repo: string; mode: SandboxMode; dockerImage?: string }) {}

  get mode(): SandboxMode {
    return this.opts.mode;
  }

  /** Counts one more pair that will need a copy at this task's base. */
  expect(task: EvalTask): void {
    this.expected.set(task.baseCommit, (this.expected.get(task.baseCommit) ?? 0) + 1);
  }

  async acquire(task: EvalTask, signal?: AbortSignal): Promise<SandboxCopy> {
    let entry = this.entries.get(task.baseCommit);
    if (!entry) {
      const pool = SandboxPool.create({
        repoRoot: this.opts.repo,
        baseRef: task.baseCommit,
        snapshotStore: task.snapshotStore ?? undefined,
        mode: this.opts.mode,
        dockerImage: this.opts.dockerImage,
      });
      entry = { pool, remaining: this.expected.get(task.baseCommit) ?? 1 };
      this.entries.set(task.baseCommit, entry);
      pool.catch(() => undefined); // a pool that cannot be made fails each pair that asks for it
    }
    return (await entry.pool).acquire(signal);
  }

  /** One pair at this base is finished (its copy already released). */
  done(task: EvalTask): void {
    const entry = this.entries.get(task.baseCommit);
    if (!entry) return;
    entry.remaining--;
    this.expected.set(task.baseCommit, (this.expected.get(task.baseCommit) ?? 1) - 1);
    if (entry.remaining > 0) return;
    this.entries.delete(task.baseCommit);
    this.disposing.push(entry.pool.then((p) => p.dispose(), () => undefined));
  }

  async disposeAll(): Promise<void> {
    const open = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled([...this.disposing, ...open.map((e) => e.pool.then((p) => p.dispose()))]);
  }
}
