/** An eval that cannot run as asked; the message is one sentence saying what to do. */
export class EvalError extends Error {}
