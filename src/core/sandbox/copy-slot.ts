import { mkdirSync, renameSync } from 'node:fs';
import { copyFile, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { copyGitEnvironment, gitExec, gitExecRaw, gitExecSequence } from './git-exec';
import { hasUntracked, layoutFromLsTree, removeUntracked, type TrackedLayout } from './untracked';
import { removeTree } from './remove-tree';
import { OBJECTS_MOUNT } from './bwrap';
import { assertRealFolder } from './private-folder';
import type { SandboxMode } from './types';

/** What every copy of one pool shares. */
export interface SlotContext {
  /** The pool's own folder (real path). */
  instanceDir: string;
  /** Control repository: host-side git runs here, never in the copy's own .git, which the agent can rewrite. */
  ctlDir: string;
  baseCommit: string;
  /** The pool's pack of the objects reachable from the base commit: all that a copy can read. */
  baseStore: string;
  mode: SandboxMode;
  /** What a clean copy holds, read once from the base commit's tree. */
  layout?: Promise<TrackedLayout>;
}

const VIEW_CONFIG = `[core]
\trepositoryformatversion = 0
\tfilemode = true
\tbare = false
\tlogallrefupdates = true
[user]
\tname = testbed
\temail = testbed@example.invalid
[gc]
\tauto = 0
`;

/**
 * One folder of the pool: a checkout of the base commit that rollouts borrow one at a time.
 *
 * Host-side git (reset, clean, diff) runs with the pool's control repository as GIT_DIR and an
 * index file kept outside the copy, so nothing the agent writes (a .git/config with a
 * fsmonitor command, hooks, a doctored index, symbolic links in .git) is ever read by git on
 * the host. The copy's own .git exists only for the agent's convenience (git status, git diff,
 * git stash) and is rebuilt from scratch on every reset.
 */
export class CopySlot {
  readonly root: string;
  readonly indexFile: string;
  /** HOME and TMPDIR of commands in mode 'host'. */
  readonly homeDir: string;
  readonly tmpDir: string;

  private constructor(
    private readonly ctx: SlotContext,
    readonly id: string,
  ) {
    this.root = join(ctx.instanceDir, id);
    this.indexFile = join(ctx.instanceDir, 'meta', `${id}.index`);
    this.homeDir = join(ctx.instanceDir, 'home', id);
    this.tmpDir = join(ctx.instanceDir, 'tmp', id);
  }

  /** Checks out the base commit into a new folder of the pool. */
  static async create(ctx: SlotContext, id: string): Promise<CopySlot> {
    const slot = new CopySlot(ctx, id);
    mkdirSync(slot.root);
    try {
      await slot.git(['read-tree', '-u', '--reset', ctx.baseCommit]);
      await slot.prepareScratchFolders();
      await slot.writeAgentGitFolder();
    } catch (error) {
      await slot.destroy();
      throw error;
    }
    return slot;
  }

  private env?: NodeJS.ProcessEnv;

  /** Built once: reading process.env goes through the runtime key by key, and every git call needs it. */
  private gitEnv(): NodeJS.ProcessEnv {
    // objects git writes (staging the agent's new files) go to the control repository's own store, never into the base pack the sandboxes read
    return (this.env ??= copyGitEnvironment({ gitDir: this.ctx.ctlDir, workTree: this.root, indexFile: this.indexFile, alternates: [this.ctx.baseStore] }));
  }

  private git(args: string[]): Promise<string> {
    return gitExec(args, this.gitEnv(), this.root);
  }

  private layout(): Promise<TrackedLayout> {
    this.ctx.layout ??= gitExecRaw(['ls-tree', '-r', '-z', '--name-only', '--full-tree', this.ctx.baseCommit], this.gitEnv(), this.root).then(layoutFromLsTree);
    this.ctx.layout.catch(() => (this.ctx.layout = undefined)); // try again next time
    return this.ctx.layout;
  }

  /**
   * Back to the base commit: tracked files restored (modes too), files the agent added or git
   * ignores removed, nested repositories included, and the agent's git state (branches, stash,
   * commits, config) dropped. read-tree restores what the index knows (including files the agent
   * added that diff() staged); everything else not in the base tree is then removed.
   */
  async reset(): Promise<void> {
    const gitIntact = await this.agentGitIntact();
    // the agent's .git (maybe large after commits) is moved aside at once and deleted meanwhile
    const oldGit = gitIntact ? null : this.moveAside(join(this.root, '.git'));
    const oldScratch = (await this.usedScratchFolders()).map((p) => this.moveAside(p));
    const removal = Promise.all([oldGit, ...oldScratch].map((p) => (p ? removeTree(p) : undefined))).catch(() => undefined);
    const [layout] = await Promise.all([this.layout(), this.git(['read-tree', '-u', '--reset', this.ctx.baseCommit])]);
    // what `git clean -ffdx` would do, without a second git process (a third of the reset's time)
    await removeUntracked(this.root, layout);
    if (oldScratch.length) await this.prepareScratchFolders();
    if (!gitIntact) await this.writeAgentGitFolder();
    await removal;
  }

  /**
   * HOME and TMPDIR of mode 'host' that the agent's commands wrote to. Most rollouts leave them
   * empty, and deleting and making folders is the slowest part of a reset on a busy disk.
   */
  private async usedScratchFolders(): Promise<string[]> {
    if (this.ctx.mode !== 'host') return [];
    const used = await Promise.all(
      [this.homeDir, this.tmpDir].map((dir) =>
        readdir(dir).then(
          (names) => (names.length ? dir : null),
          () => dir,
        ),
      ),
    );
    return used.filter((d): d is string => d !== null);
  }

  /**
   * True when nothing in the copy's .git changed since we wrote it, so it need not be rebuilt.
   * Every entry we wrote keeps its inode, size and times unless something touched it, and an
   * entry added anywhere below changes the times of a folder we wrote. (The agent's first
   * command comes long after the clock tick in which the folder was written.)
   */
  private async agentGitIntact(): Promise<boolean> {
    if (!this.gitPrint) return false;
    const now = await this.agentGitFingerprint();
    return now !== null && now === this.gitPrint;
  }

  private gitPrint: string | null = null;

  private async agentGitFingerprint(): Promise<string | null> {
    const dotGit = join(this.root, '.git');
    const entries = ['', 'HEAD', 'config', 'index', 'objects', 'objects/info', 'objects/info/alternates', 'objects/pack', 'refs', 'refs/heads', 'refs/tags'];
    try {
      const stats = await Promise.all(entries.map((e) => lstat(join(dotGit, e), { bigint: true })));
      return stats.map((st) => `${st.ino}:${st.mode}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`).join(' ');
    } catch {
      return null; // something we wrote is gone
    }
  }

  private moveAside(path: string): string | null {
    const trash = join(this.ctx.instanceDir, 'trash', `${this.id}-${process.hrtime.bigint()}-${basename(path)}`);
    try {
      renameSync(path, trash);
      return trash;
    } catch {
      return null; // not there
    }
  }

  /**
   * The copy's changes against the base commit as one patch: new files included, binary files
   * summarised. Most rollouts only edit tracked files; then one git process diffs the work tree.
   * New files need staging first, which takes two more process starts.
   */
  async diff(): Promise<string> {
    const options = ['--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/', this.ctx.baseCommit, '--'];
    if (!(await hasUntracked(this.root, await this.layout()))) return this.git(['diff', ...options]);
    return gitExecSequence([['add', '--all', '--', '.'], ['diff', '--cached', ...options]], this.gitEnv(), this.root);
  }

  /**
   * The folders a sandbox mounts for this copy (the copy, the base pack), checked right before
   * each use: real folders of ours, not symbolic links put in their place.
   */
  mountSources(): { copyRoot: string; objectStore: string } {
    assertRealFolder(this.root);
    assertRealFolder(this.ctx.baseStore);
    return { copyRoot: this.root, objectStore: this.ctx.baseStore };
  }

  async destroy(): Promise<void> {
    await removeTree(this.root);
    await removeTree(this.homeDir);
    await removeTree(this.tmpDir);
    await removeTree(this.indexFile);
  }

  private async prepareScratchFolders(): Promise<void> {
    if (this.ctx.mode !== 'host') return;
    await Promise.all([mkdir(this.homeDir, { recursive: true }), mkdir(this.tmpDir, { recursive: true })]);
  }

  /**
   * A minimal repository at the base commit whose objects come from the base pack: mounted
   * outside the copy in a sandbox, read where it is in mode 'host' (which hides nothing anyway).
   */
  private async writeAgentGitFolder(): Promise<void> {
    const dotGit = join(this.root, '.git');
    await Promise.all(['objects/info', 'objects/pack', 'refs/heads', 'refs/tags'].map((dir) => mkdir(join(dotGit, dir), { recursive: true })));
    const store = this.ctx.mode === 'host' || this.ctx.mode === 'off' ? this.ctx.baseStore : OBJECTS_MOUNT;
    await Promise.all([
      writeFile(join(dotGit, 'HEAD'), `${this.ctx.baseCommit}\n`),
      writeFile(join(dotGit, 'config'), VIEW_CONFIG),
      writeFile(join(dotGit, 'objects', 'info', 'alternates'), `${store}\n`),
      copyFile(this.indexFile, join(dotGit, 'index')),
    ]);
    this.gitPrint = await this.agentGitFingerprint();
  }
}
