/**
 * The scenario teacher (test/support/svg-teacher.ts) served from a process of its own, the way a
 * real teacher runs elsewhere: its latency timers and JSON work then neither wait for nor add to
 * the event loop being measured.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { startScriptedTeacher } from '../../test/support/scripted-teacher';
import { svgTeacher } from '../../test/support/svg-teacher';

export interface TeacherProcess {
  url: string;
  pid: number;
  /** Chat completion requests the server has received so far. */
  chats(): Promise<number>;
  close(): Promise<void>;
}

type FromChild = { type: 'ready'; url: string } | { type: 'chats'; count: number };

function nextMessage(child: ChildProcess, type: FromChild['type']): Promise<FromChild> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: FromChild) => {
      if (m.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code: number | null) => reject(new Error(`the teacher process exited (${code}) before answering`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function startSvgTeacherProcess(latencyMs: number): Promise<TeacherProcess> {
  const child = fork(__filename, [String(latencyMs)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = (await nextMessage(child, 'ready')) as { url: string };
  return {
    url: ready.url,
    pid: child.pid!,
    async chats() {
      const answer = nextMessage(child, 'chats');
      child.send({ type: 'chats' });
      return ((await answer) as { count: number }).count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
      }),
  };
}

if (require.main === module) {
  void (async () => {
    const server = await startScriptedTeacher(svgTeacher(), { latencyMs: Number(process.argv[2] ?? 0) });
    process.on('message', async (m: { type: string }) => {
      if (m.type === 'chats') process.send!({ type: 'chats', count: server.chats.length });
      if (m.type === 'close') {
        await server.close();
        process.exit(0);
      }
    });
    process.on('disconnect', () => process.exit(0));
    process.send!({ type: 'ready', url: server.url });
  })();
}
