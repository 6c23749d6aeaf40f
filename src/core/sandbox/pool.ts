import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, realpathSync, rmdirSync, writeFileSync } from 'node:fs';
import { basename, join, relative, isAbsolute, resolve } from 'node:path';
import { packReachableObjects } from './base-pack';
import { bwrapAvailable, bwrapCommand, OBJECTS_MOUNT } from './bwrap';
import { CopySlot, type SlotContext } from './copy-slot';
import { buildDockerCommand } from './docker';
import { agentPathOf, JailError, resolveAgentPath } from './jail';
import { PathMasker } from './mask';
import { claimFolder, killProcessesUsing, POOL_TAG_VARIABLE, removeStalePools } from './owner-lock';
import { ensurePrivateFolder, privateSandboxRoot } from './private-folder';
import { runCommand } from './process-host';
import { abortError } from './process-runner';
import { removeTree, removeTreeSync } from './remove-tree';
import { findUserRepo, objectStoreChain, resolveCommit, SandboxSetupError, type UserRepo } from './repo-info';
import { hostModeEnvironment, SANDBOX_USER, sandboxVariables, shellArgv } from './sandbox-env';
import { snapshotWorkingTree } from './snapshot';
import { SANDBOX_MAX_PROCESSES } from '../defaults';
import { AGENT_ROOT, type CommandResult, type RunOptions, type SandboxCopy, type SandboxMode, type SandboxOptions } from './types';

/** Pools still on disk, removed synchronously if the process exits without disposing them. */
const livePools = new Set<SandboxPool>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const pool of livePools) pool.removeNow();
  });
}

function inside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Default home of a repository's pools: one folder per repository (per object store) in the
 * user's private sandbox folder, named by a hash so that no path a sandbox can see names the
 * repository.
 */
export function defaultPoolDir(repo: UserRepo, tempBase?: string): string {
  const key = createHash('sha256').update(repo.objectsDir).digest('hex').slice(0, 12);
  return join(privateSandboxRoot(tempBase), key);
}

const DEFAULT_FOLDER_ADVICE = 'remove it (it may belong to another user), or set TMPDIR to a folder of your own';
const CHOSEN_FOLDER_ADVICE = 'choose a folder of your own that only you can write to';

function chooseMode(requested: SandboxMode | undefined, dockerImage: string | undefined): SandboxMode {
  if (requested === undefined) return bwrapAvailable() ? 'bwrap' : 'off';
  if (requested === 'bwrap' && !bwrapAvailable()) {
    throw new SandboxSetupError(
      "sandbox mode 'bwrap' needs bubblewrap, which is not installed or not allowed to create namespaces here; install it (apt-get install bubblewrap) or choose mode 'docker', 'host' or 'off'",
    );
  }
  if (requested === 'docker' && !dockerImage) throw new SandboxSetupError("sandbox mode 'docker' needs a docker image; set dockerImage");
  return requested;
}

/**
 * Isolated copies of one repository at one base commit. Copies live in a folder of our own
 * outside the user's workspace (see defaultPoolDir); a released copy is reset and handed out
 * again, so after the first checkout a rollout starts in milliseconds.
 *
 * The user's repository is only ever read: the copies are checkouts made through a private
 * control repository whose object store borrows the user's (git alternates), so their work
 * tree, index, refs, stash, config, .git/worktrees and even object store stay byte-identical.
 */
export class SandboxPool {
  readonly baseCommit: string;
  readonly mode: SandboxMode;
  readonly repoName: string;
  /** This pool's own folder (one per pool; its siblings belong to other pools of the same repository). */
  readonly folder: string;

  private readonly idle: CopySlot[] = [];
  private readonly leases = new Set<CopyLease>();
  private readonly pending = new Set<Promise<unknown>>();
  /** Released copies whose reset has not finished: an acquire waits for one rather than making a new checkout. */
  private readonly resetting = new Set<Promise<void>>();
  private nextId = 0;
  private disposing: Promise<void> | null = null;
  private readonly ctx: SlotContext;

  private constructor(
    private readonly repo: UserRepo,
    private readonly poolParent: string,
    ctx: SlotContext,
    private readonly dockerImage: string | undefined,
    private readonly sandboxFiles: { passwd: string; group: string; hostname: string },
    private readonly removeParentWhenEmpty: boolean,
    private readonly maxProcesses: number,
  ) {
    this.ctx = ctx;
    this.baseCommit = ctx.baseCommit;
    this.mode = ctx.mode;
    this.repoName = repo.name;
    this.folder = ctx.instanceDir;
  }

  static async create(opts: SandboxOptions): Promise<SandboxPool> {
    const repo = await findUserRepo(opts.repoRoot);
    const mode = chooseMode(opts.mode, opts.dockerImage);
    const ref = opts.baseRef ?? 'HEAD';
    const snapshotStore = opts.snapshotStore ? resolve(opts.snapshotStore) : undefined;
    if (snapshotStore) mkdirSync(join(snapshotStore, 'pack'), { recursive: true });
    const base = await resolveCommit(repo, ref, snapshotStore ? [snapshotStore] : []);
    if (base === null && !opts.includeUncommitted) {
      throw new SandboxSetupError(`the repository at ${repo.top} has no commits yet; commit once, or include uncommitted changes`);
    }
    const parentReal = preparePoolParent(repo, opts.poolDir);
    await removeStalePools(parentReal);
    const instanceDir = join(parentReal, `${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      claimFolder(instanceDir);
    } catch (error) {
      // the last pool of another process may have removed the empty parent just now
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      ensurePrivateFolder(parentReal, opts.poolDir ? CHOSEN_FOLDER_ADVICE : DEFAULT_FOLDER_ADVICE);
      claimFolder(instanceDir);
    }
    installExitHook();
    try {
      const ctlDir = join(instanceDir, 'ctl.git');
      for (const dir of ['objects/info', 'objects/pack', 'refs/heads', 'refs/tags']) mkdirSync(join(ctlDir, dir), { recursive: true });
      writeFileSync(join(ctlDir, 'HEAD'), 'ref: refs/heads/main\n');
      writeFileSync(join(ctlDir, 'config'), '[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tfilemode = true\n');
      const meta = join(instanceDir, 'meta');
      mkdirSync(meta);
      mkdirSync(join(instanceDir, 'trash'));
      const ownObjects = join(ctlDir, 'objects');
      const baseCommit = opts.includeUncommitted ? await snapshotWorkingTree(repo, base, snapshotStore ?? ownObjects, meta) : base!;
      const baseStore = join(instanceDir, 'base-objects');
      const sources = [ownObjects, ...(snapshotStore ? [snapshotStore] : []), ...objectStoreChain([repo.objectsDir])];
      await packReachableObjects(baseCommit, baseStore, sources, ctlDir);
      const ctx: SlotContext = { instanceDir, ctlDir, baseCommit, baseStore, mode };
      const sandboxFiles = writeSandboxIdentity(meta);
      const pool = new SandboxPool(repo, parentReal, ctx, opts.dockerImage, sandboxFiles, opts.poolDir === undefined, opts.maxProcesses ?? SANDBOX_MAX_PROCESSES);
      livePools.add(pool);
      return pool;
    } catch (error) {
      await removeTree(instanceDir);
      throw error;
    }
  }

  /** Hands out a clean copy of the base commit: a released one when there is one, else a new checkout. */
  async acquire(signal?: AbortSignal): Promise<SandboxCopy> {
    this.assertOpen();
    if (signal?.aborted) throw abortError('acquiring a copy was cancelled');
    let slot = this.idle.pop();
    while (!slot && this.resetting.size) {
      await Promise.race(this.resetting);
      if (signal?.aborted) throw abortError('acquiring a copy was cancelled');
      this.assertOpen();
      slot = this.idle.pop(); // another acquire may have taken it first
    }
    if (!slot) {
      const creating = CopySlot.create(this.ctx, `c${this.nextId++}`);
      this.track(creating);
      slot = await creating;
      if (this.disposing) throw new Error('the sandbox pool was disposed while a copy was being made');
      if (signal?.aborted) {
        this.idle.push(slot);
        throw abortError('acquiring a copy was cancelled');
      }
    }
    const lease = new CopyLease(this, slot);
    this.leases.add(lease);
    return lease;
  }

  /**
   * Makes sure `count` copies exist (idle or out), checking out the missing ones at once, so the
   * first rollouts of a run do not each pay for a full checkout. Optional; acquire() makes copies
   * on demand anyway.
   */
  async warm(count: number, signal?: AbortSignal): Promise<void> {
    this.assertOpen();
    const missing = count - this.idle.length - this.leases.size - this.resetting.size;
    for (let i = 0; i < missing; i++) {
      if (signal?.aborted) throw abortError('acquiring a copy was cancelled');
      const creating = CopySlot.create(this.ctx, `c${this.nextId++}`);
      this.track(creating);
      const slot = await creating;
      if (this.disposing) return;
      this.idle.push(slot);
    }
  }

  /** Removes every copy and the pool's folder. Copies still out become unusable. */
  dispose(): Promise<void> {
    if (!this.disposing) {
      this.disposing = (async () => {
        // the commands' ends are awaited through this.pending below
        for (const lease of this.leases) void lease.stopCommands();
        await Promise.allSettled([...this.pending]);
        killProcessesUsing(this.folder); // anything that slipped out of its process group in mode 'host'
        await removeTree(this.folder);
        livePools.delete(this);
        try {
          // the default per-repository folder goes when its last pool does; a folder the caller named stays
          if (this.removeParentWhenEmpty && readdirSync(this.poolParent).length === 0) rmdirSync(this.poolParent);
        } catch {
          // another pool of the repository is using it
        }
      })();
    }
    return this.disposing;
  }

  /** @internal synchronous removal at process exit */
  removeNow(): void {
    try {
      killProcessesUsing(this.folder);
      removeTreeSync(this.folder);
    } catch {
      // the next pool on this repository removes it
    }
  }

  /** @internal */
  get disposed(): boolean {
    return this.disposing !== null;
  }

  /** @internal a lease gives its copy back */
  giveBack(lease: CopyLease, slot: CopySlot): Promise<void> {
    this.leases.delete(lease);
    if (this.disposing) return Promise.resolve();
    const work = slot.reset().then(
      () => slot,
      // a copy that cannot be reset is thrown away and replaced by a new checkout
      async () => {
        await slot.destroy().catch(() => undefined);
        return this.disposing ? null : CopySlot.create(this.ctx, `c${this.nextId++}`);
      },
    ).then(
      (ready) => {
        if (ready && !this.disposing) this.idle.push(ready);
      },
      () => undefined, // not even a new checkout works (the disk is full): acquire() will say so
    );
    this.track(work);
    this.resetting.add(work);
    void work.finally(() => this.resetting.delete(work));
    return work;
  }

  /** @internal */
  commandFor(slot: CopySlot, command: string): { argv: string[]; fd3?: string; env: NodeJS.ProcessEnv; onKill?: () => void; hint?: string; maxProcesses?: number } {
    switch (this.mode) {
      case 'bwrap': {
        const layout = { ...slot.mountSources(), passwdFile: this.sandboxFiles.passwd, groupFile: this.sandboxFiles.group, hostnameFile: this.sandboxFiles.hostname };
        const { argv, fd3 } = bwrapCommand(layout, shellArgv(command));
        return {
          argv,
          fd3,
          // bwrap keeps the tag (so a dead pool's next one can find it); the command does not see it
          env: { ...sandboxVariables('/tmp'), [POOL_TAG_VARIABLE]: basename(this.folder) },
          maxProcesses: this.maxProcesses,
          hint: "bubblewrap (bwrap) was not found; install it (apt-get install bubblewrap) or choose another sandbox mode",
        };
      }
      case 'docker': {
        const name = `repo-specializer-${process.pid}-${randomBytes(4).toString('hex')}`;
        const user = process.getuid && process.getgid ? `${process.getuid()}:${process.getgid()}` : undefined;
        const { copyRoot, objectStore } = slot.mountSources();
        const argv = buildDockerCommand(this.dockerImage!, copyRoot, command, { name, user, objectStore, env: sandboxVariables('/tmp'), maxProcesses: this.maxProcesses });
        return {
          argv,
          env: process.env,
          onKill: () => {
            spawn('docker', ['kill', name], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
          },
          hint: "the docker client was not found; install docker or choose another sandbox mode",
        };
      }
      case 'host':
        return { argv: shellArgv(command), env: hostModeEnvironment(slot.homeDir, slot.tmpDir), maxProcesses: this.maxProcesses };
      default:
        throw new Error("commands are off for this run (sandbox mode 'off'); the bash tool should not be offered");
    }
  }

  /** @internal */
  maskerFor(slot: CopySlot): PathMasker {
    const mappings: [string, string][] = [
      [slot.root, AGENT_ROOT],
      [this.repo.top, AGENT_ROOT],
      [this.repo.gitDir, `${AGENT_ROOT}/.git`],
      [slot.homeDir, '/tmp/home'],
      [slot.tmpDir, '/tmp'],
      [this.folder, '/tmp/sandbox'],
      [this.poolParent, '/tmp/sandbox'],
    ];
    mappings.push([this.ctx.baseStore, OBJECTS_MOUNT]);
    return new PathMasker(mappings);
  }

  /** @internal work dispose() must wait for */
  track(p: Promise<unknown>): void {
    this.pending.add(p);
    const done = () => this.pending.delete(p);
    p.then(done, done);
  }

  private assertOpen(): void {
    if (this.disposing) throw new Error('the sandbox pool was disposed; create a new one');
  }
}

/**
 * The folder the pool's own folder goes in, made private to this user (see ensurePrivateFolder):
 * by default the repository's folder in the user's private sandbox folder, or the caller's.
 */
function preparePoolParent(repo: UserRepo, chosen: string | undefined): string {
  if (chosen) {
    const parent = resolve(chosen);
    mkdirSync(resolve(parent, '..'), { recursive: true });
    ensurePrivateFolder(parent, CHOSEN_FOLDER_ADVICE);
    const real = realpathSync(parent);
    if (inside(repo.top, real)) throw new SandboxSetupError(`the sandbox folder ${real} is inside the repository; choose a folder outside ${repo.top}`);
    return real;
  }
  const parent = defaultPoolDir(repo);
  ensurePrivateFolder(resolve(parent, '..'), DEFAULT_FOLDER_ADVICE);
  ensurePrivateFolder(parent, DEFAULT_FOLDER_ADVICE);
  return parent;
}

/** /etc/passwd, /etc/group and /etc/hostname as a sandbox shows them: a neutral account and host name. */
function writeSandboxIdentity(meta: string): { passwd: string; group: string; hostname: string } {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  const passwd = ['root:x:0:0:root:/root:/bin/sh'];
  const group = ['root:x:0:'];
  if (uid !== 0) passwd.push(`${SANDBOX_USER}:x:${uid}:${gid}:${SANDBOX_USER}:/tmp:/bin/bash`);
  if (gid !== 0) group.push(`${SANDBOX_USER}:x:${gid}:`);
  passwd.push('nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin');
  group.push('nogroup:x:65534:');
  const files = { passwd: join(meta, 'passwd'), group: join(meta, 'group'), hostname: join(meta, 'hostname') };
  writeFileSync(files.passwd, `${passwd.join('\n')}\n`);
  writeFileSync(files.group, `${group.join('\n')}\n`);
  writeFileSync(files.hostname, 'testbed\n');
  return files;
}

/** One rollout's hold on a copy. A later rollout gets a new lease on the same folder, so a stale handle cannot touch it. */
class CopyLease implements SandboxCopy {
  readonly agentRoot = AGENT_ROOT;
  readonly root: string;
  readonly mode: SandboxMode;
  private releasing: Promise<void> | null = null;
  private readonly running = new Map<AbortController, Promise<unknown>>();
  private readonly masker: PathMasker;

  constructor(
    private readonly pool: SandboxPool,
    private readonly slot: CopySlot,
  ) {
    this.root = slot.root;
    this.mode = pool.mode;
    this.masker = pool.maskerFor(slot);
  }

  async run(command: string, opts: RunOptions): Promise<CommandResult> {
    this.assertHeld();
    const spec = this.pool.commandFor(this.slot, command);
    const controller = new AbortController();
    const forward = () => controller.abort();
    opts.signal?.addEventListener('abort', forward, { once: true });
    if (opts.signal?.aborted) controller.abort();
    const running = runCommand({
        argv: spec.argv,
        fd3: spec.fd3,
        cwd: this.slot.root,
        env: spec.env,
        timeoutMs: opts.timeoutMs,
        maxOutputBytes: opts.maxOutputBytes,
        signal: controller.signal,
        onKill: spec.onKill,
        missingProgramHint: spec.hint,
        maxProcesses: spec.maxProcesses,
      });
    this.running.set(controller, running);
    this.pool.track(running);
    try {
      const result = await running;
      return { ...result, output: this.masker.mask(result.output) };
    } finally {
      this.running.delete(controller);
      opts.signal?.removeEventListener('abort', forward);
    }
  }

  toHostPath(agentPath: string): string {
    try {
      return resolveAgentPath(this.slot.root, agentPath);
    } catch (error) {
      // the message repeats the agent's path, which must not carry a host path back to it either
      if (error instanceof JailError) throw new JailError(this.masker.mask(error.message));
      throw error;
    }
  }

  toAgentPath(hostPath: string): string {
    return agentPathOf(this.slot.root, hostPath);
  }

  maskHostPaths(text: string): string {
    return this.masker.mask(text);
  }

  async diff(): Promise<string> {
    this.assertHeld();
    return this.slot.diff();
  }

  release(): Promise<void> {
    if (!this.releasing) {
      const stillRunning = this.stopCommands();
      // Reset only once the killed commands are gone, so none writes into the cleaned folder. The
      // reset goes on in the pool (the next acquire waits for it if it must): a rollout's
      // release returns as its commands end, and the reset runs during the next teacher call.
      this.releasing = Promise.allSettled(stillRunning).then(() => {
        void this.pool.giveBack(this, this.slot);
      });
    }
    return this.releasing;
  }

  /** Kills whatever command is still running in the copy; resolves as they end. */
  stopCommands(): Promise<unknown>[] {
    for (const c of this.running.keys()) c.abort();
    return [...this.running.values()];
  }

  private assertHeld(): void {
    if (this.releasing) throw new Error('this copy was released; acquire a new one');
    if (this.pool.disposed) throw new Error('the sandbox pool was disposed; create a new one');
  }
}
