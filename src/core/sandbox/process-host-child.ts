import { collectOutput, runProcess } from './process-runner';
import type { HostReply, HostRequest } from './process-host-protocol';

/**
 * The process host: a small Node process that starts every git call and agent command for the
 * process that forked it. Forking costs time in proportion to the forking process's memory, and
 * blocks it meanwhile; this process stays small, so each fork is cheap and the engine never
 * stops for one. It runs only while its parent is connected.
 */
const running = new Map<number, AbortController>();

function send(reply: HostReply): void {
  if (process.connected) process.send!(reply);
}

function execute(request: HostRequest): void {
  if (request.t === 'abort') {
    running.get(request.id)?.abort();
    return;
  }
  if (request.t === 'exec') {
    const { id, file, args, env, cwd, maxBuffer } = request;
    void collectOutput(file, args, env, cwd, maxBuffer).then((result) => send({ t: 'exec', id, result }));
    return;
  }
  const { id, argv, cwd, env, timeoutMs, maxOutputBytes, missingProgramHint, fd3, maxProcesses } = request;
  const controller = new AbortController();
  running.set(id, controller);
  runProcess({
    argv,
    cwd,
    env,
    timeoutMs,
    maxOutputBytes,
    missingProgramHint,
    fd3,
    maxProcesses,
    signal: controller.signal,
    onStart: (pid) => send({ t: 'started', id, pid }),
  }).then(
    (result) => send({ t: 'run', id, result }),
    (error: Error) => send({ t: 'failed', id, name: error.name, message: error.message }),
  ).finally(() => running.delete(id));
}

process.on('message', (request: HostRequest) => {
  try {
    execute(request);
  } catch (error) {
    send({ t: 'failed', id: request.id, name: 'Error', message: (error as Error).message });
  }
});

// The parent is gone (it exited or was killed): nothing it started may outlive it. Aborting
// kills each command's process tree at once (see runProcess).
process.on('disconnect', () => {
  for (const controller of running.values()) controller.abort();
  process.exit(0);
});
