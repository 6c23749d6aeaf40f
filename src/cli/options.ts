/** commander's reducer for options that may be given several times (--include A --include B). */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];
