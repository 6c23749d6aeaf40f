import { EXIT, type ExitCode } from './exit-codes';

/** An error whose message is meant for the user as it is: one sentence saying what went wrong and what to do. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}
