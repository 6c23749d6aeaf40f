/** Settings or surroundings that make generation impossible; the message says what to change. */
export class GenerateError extends Error {}
