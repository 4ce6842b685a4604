/**
 * The logging options of the commands that run checks (scan, run, serve): a module of its
 * own, without pino, so a command can parse them before it loads anything heavy.
 */
import { UsageError } from './cli-error.js';

/** `auto`: text for people on a terminal, JSON lines elsewhere (cli-logger.ts). */
export type LogFormat = 'auto' | 'json' | 'pretty';

/** `--log-file`, `--log-format`, `--quiet`. */
export const LOG_OPTIONS = {
  'log-file': { type: 'string' },
  'log-format': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** Help lines of `--log-file` and `--log-format` (each command says what its `--quiet` leaves out). */
export const LOG_OPTIONS_HELP = `  --log-file F    write log lines to F (appended) instead of stderr
  --log-format X  auto (default: text for people when stderr is a terminal, JSON
                  lines otherwise), json or pretty`;

/** Validates `--log-format`. */
export function logFormatOption(command: string, value: string | undefined): LogFormat {
  if (value === undefined) return 'auto';
  if (value === 'auto' || value === 'json' || value === 'pretty') return value;
  throw new UsageError(`${command}: --log-format must be auto, json or pretty, got '${value}'`);
}
