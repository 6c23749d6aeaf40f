/**
 * An eval that cannot run as asked; the message is one sentence saying what to do. `kind` tells
 * a wrong command ('usage') from one that cannot run here ('cannot-start': a model does not
 * answer, another process holds the run) and from one that finds nothing to do ('no-tasks').
 */
export class EvalError extends Error {
  constructor(
    message: string,
    readonly kind: 'usage' | 'cannot-start' | 'no-tasks' = 'usage',
  ) {
    super(message);
  }
}
