/** The command-line options of commands that touch the store (a module of its own so light commands need not load the store). */

/** `--data DIR`: the embedded database's folder. */
export const STORE_OPTIONS = {
  data: { type: 'string' },
} as const;
