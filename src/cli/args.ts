/** Command-line parsing for one command, with usage errors that name the option. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';

/** The options part of a parseArgs config. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

/** Parsed option values: booleans for flags, strings for the rest. */
export type OptionValues<O extends ParseArgsOptionsConfig> = {
  [K in keyof O]?: O[K] extends { type: 'boolean' } ? boolean : string;
} & { help?: boolean; debug?: boolean };

/** Parses `argv` for a command; unknown options are usage errors. */
export function parseCommandArgs<O extends ParseArgsOptionsConfig>(command: string, argv: readonly string[], options: O): { values: OptionValues<O> } {
  try {
    return parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: false, strict: true });
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/\. To specify .*$/s, '')}; see 'scorekeeper ${command} --help'`);
  }
}

/** A whole number option, or a usage error naming it. */
export function intOption(command: string, name: string, value: string | undefined, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`${command}: --${name} must be a whole number >= ${min}, got '${value}'`);
  return n;
}
