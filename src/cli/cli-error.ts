/**
 * How the CLI ends: exit codes by kind of failure, and one clear line on stderr (a stack
 * trace only with --debug).
 */
import { ScorekeeperError, errorMessage } from '../errors.js';
import { loginFailureMessage } from '../db/login-failure.js';

/** Exit codes of `scorekeeper`. */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug): the message, and the stack with --debug. */
  internal: 1,
  /** Bad command line. */
  usage: 2,
  /** The competition file or another configuration is invalid. */
  config: 3,
  /** The database could not be reached or written. */
  store: 4,
  /** A scan could not start. */
  scan: 5,
  /** A plugin failed to load. */
  plugin: 6,
  /** The web server could not start, or a running one could not be reached. */
  web: 7,
} as const;

/** A bad command line: unknown command or option, missing value. */
export class UsageError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_USAGE', message);
  }
}

/** The exit code for an error. */
export function exitCodeOf(err: unknown): number {
  // A query that reached the server unwrapped (a read command's first query) and was refused at login.
  if (!(err instanceof ScorekeeperError)) return loginFailureMessage(err) ? EXIT.store : EXIT.internal;
  switch (err.code) {
    case 'SK_USAGE':
      return EXIT.usage;
    case 'SK_CONFIG':
    case 'SK_RECORDING':
    case 'SK_UNKNOWN_TYPE':
    case 'SK_INVALID_PARAMS':
    case 'SK_DISTRIBUTED':
      return EXIT.config;
    case 'SK_STORE':
    case 'SK_QUEUE':
      return EXIT.store;
    case 'SK_SCAN_FAILED':
      return EXIT.scan;
    case 'SK_PLUGIN_LOAD':
    case 'SK_DUPLICATE_TYPE':
    case 'SK_INVALID_TYPE':
      return EXIT.plugin;
    case 'SK_WEB':
      return EXIT.web;
    default:
      return EXIT.internal;
  }
}

/** The text printed for an error: its message (several lines for config errors). */
export function describeError(err: unknown, debug: boolean): string {
  if (debug && err instanceof Error && err.stack) return err.stack;
  if (!(err instanceof ScorekeeperError)) return loginFailureMessage(err) ?? errorMessage(err);
  return errorMessage(err);
}
