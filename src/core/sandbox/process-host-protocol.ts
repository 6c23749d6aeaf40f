import type { CommandResult } from './types';

/** What the engine asks of the process host (see process-host-child.ts). */
export type HostRequest =
  | { t: 'exec'; id: number; file: string; args: string[]; env: NodeJS.ProcessEnv; cwd: string; maxBuffer: number }
  | { t: 'run'; id: number; argv: string[]; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; maxOutputBytes: number; missingProgramHint?: string; fd3?: string; maxProcesses?: number }
  | { t: 'abort'; id: number };

/** The result of a program run to completion with its output collected (git). */
export interface ExecResult {
  failed: boolean;
  message: string;
  code: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

export type HostReply =
  | { t: 'exec'; id: number; result: ExecResult }
  | { t: 'started'; id: number; pid: number }
  | { t: 'run'; id: number; result: CommandResult }
  | { t: 'failed'; id: number; name: string; message: string };
