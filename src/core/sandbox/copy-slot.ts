import { mkdirSync, renameSync } from 'node:fs';
import { copyFile, mkdir, stat, utimes, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { copyGitEnvironment, gitExec, gitExecRaw, gitExecSequence } from './git-exec';
import { removeTree, restoreFolderModes } from './remove-tree';
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
}

/** A submodule entry the staging added: in a patch, file contents start with a sign, so this is a header. */
const SUBMODULE_ADDED = /^new (file )?mode 160000$/m;

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
  private diffEnv?: NodeJS.ProcessEnv;

  /**
   * Built once: reading process.env goes through the runtime key by key, and every git call
   * needs it. Objects git writes (staging the agent's new files) go to the control repository's
   * own store, never into the base pack the sandboxes read. The index of the checkout is only
   * ever written by checkout and reset; diff() stages into an index of its own, so that its
   * refreshed stat data never hides a change from the next reset (a chmod 000 that kept the
   * executable bit as it was).
   */
  private gitEnv(forDiff = false): NodeJS.ProcessEnv {
    const make = (indexFile: string) => copyGitEnvironment({ gitDir: this.ctx.ctlDir, workTree: this.root, indexFile, alternates: [this.ctx.baseStore] });
    return forDiff ? (this.diffEnv ??= make(`${this.indexFile}.diff`)) : (this.env ??= make(this.indexFile));
  }

  private git(args: string[], forDiff = false): Promise<string> {
    return gitExec(args, this.gitEnv(forDiff), this.root);
  }

  /**
   * Back to the base commit: every folder's mode restored (the agent may have made /testbed
   * unreadable), tracked files restored (modes too), everything else removed (new and ignored
   * files, nested repositories), and the agent's git state (branches, stash, commits, config)
   * dropped with its .git, which is written anew. A step that fails rejects, and the pool then
   * throws the copy away and checks out a new one.
   */
  async reset(): Promise<void> {
    // the agent's .git (maybe large after commits) is moved aside at once and deleted meanwhile
    await restoreFolderModes(join(this.root, '.git'), 0o755).catch(() => undefined);
    const old = [join(this.root, '.git'), ...(this.ctx.mode === 'host' ? [this.homeDir, this.tmpDir] : [])].map((p) => this.moveAside(p));
    await restoreFolderModes(this.root, 0o755, true);
    const removal = Promise.all(old.map((p) => (p ? removeTree(p) : undefined))).catch(() => undefined);
    await this.git(['read-tree', '-u', '--reset', this.ctx.baseCommit]);
    await this.git(['clean', '-ffdxq']);
    await this.prepareScratchFolders();
    await this.writeAgentGitFolder();
    await removal;
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
   * summarised. Everything is staged into an index of the diff's own (outside the copy), then
   * diffed. A nested repository the agent made (a folder with its own .git) is left out: git
   * would record it as a submodule, or refuse when it has no commit yet.
   */
  async diff(): Promise<string> {
    const options = ['--cached', '--no-color', '--no-ext-diff', '--no-textconv', '--no-renames', '--src-prefix=a/', '--dst-prefix=b/', this.ctx.baseCommit, '--'];
    // Staging and diffing in one request suffices unless git met a nested repository: it then
    // adds a submodule entry, which the patch shows, or stops; the slower way below leaves such
    // folders out. A review waits on this, in every rollout.
    await this.freshDiffIndex();
    const patch = await gitExecSequence([['add', '--all', '--', '.'], ['diff', ...options]], this.gitEnv(true), this.root).catch(() => null);
    if (patch !== null && !SUBMODULE_ADDED.test(patch)) return patch;
    await this.freshDiffIndex();
    // names as bytes: they need not be UTF-8
    const untracked = (await gitExecRaw(['ls-files', '-z', '--others', '--exclude-standard'], this.gitEnv(true), this.root)).toString('latin1');
    const nested = untracked.split('\0').filter((p) => p.endsWith('/'));
    // a pathspec file, not arguments: there may be more nested repositories than a command line holds
    const pathspecs = join(this.ctx.instanceDir, 'meta', `${this.id}.pathspecs`);
    await writeFile(pathspecs, Buffer.from(['.', ...nested.map((p) => `:(exclude,literal)${p}`)].map((p) => `${p}\0`).join(''), 'latin1'));
    await this.git(['add', '--all', `--pathspec-from-file=${pathspecs}`, '--pathspec-file-nul'], true);
    return this.git(['diff', ...options], true);
  }

  /** The diff's index as a copy of the copy's own, with its time: git trusts an entry's stat data only if the file is older than its index. */
  private async freshDiffIndex(): Promise<void> {
    const diffIndex = `${this.indexFile}.diff`;
    await copyFile(this.indexFile, diffIndex);
    const { atime, mtime } = await stat(this.indexFile);
    await utimes(diffIndex, atime, mtime);
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
    await removeTree(`${this.indexFile}.diff`);
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
  }
}
