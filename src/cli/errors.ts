/** An error whose message is meant for the user as it is: one sentence saying what went wrong and what to do. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
