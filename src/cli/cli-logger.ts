/**
 * The CLI's logger: JSON lines for machines, text for people. On a terminal (stderr is
 * a TTY) lines go through pino-pretty as a pino transport (pretty-log-transport.ts);
 * anywhere else (a pipe, a file, systemd's journal) they stay JSON lines, one object
 * each. `--log-format json|pretty` decides instead of the terminal. Redaction is pino's,
 * done before a line leaves this thread, so both formats carry the same censored fields.
 *
 * The transport's worker thread is started on the first line written (a command that
 * logs nothing starts none) and is ended before the CLI exits, after its last line is
 * out (exit-when-done.ts), so it neither keeps a command alive nor loses its tail.
 */
import { fileURLToPath } from 'node:url';
import { pino, type DestinationStream, type Logger } from 'pino';
import { createLogger } from '../logger.js';
import { flushBeforeExit } from './exit-when-done.js';
import type { LogFormat } from './log-options.js';
import type { PrettyLogTransportOptions } from './pretty-log-transport.js';

/** Options of {@link cliLogger}. */
export interface CliLoggerOptions {
  /** Append lines to this file instead of stderr. */
  readonly logFile?: string | undefined;
  readonly format?: LogFormat;
  /** Only warnings and errors on stderr (a log file still gets everything). */
  readonly quiet?: boolean;
  /** Default 'info'. */
  readonly level?: string;
}

/** Whether lines for `options` are formatted for people. */
export function wantsPretty(options: Pick<CliLoggerOptions, 'logFile' | 'format'>, stderr: { isTTY?: boolean } = process.stderr): boolean {
  if (options.format === 'pretty') return true;
  if (options.format === 'json') return false;
  return options.logFile === undefined && stderr.isTTY === true;
}

/** The CLI's logger (see the module comment). */
export function cliLogger(options: CliLoggerOptions = {}): Logger {
  const { logFile } = options;
  const level = options.quiet && logFile === undefined ? 'warn' : (options.level ?? 'info');
  if (wantsPretty(options)) {
    const toTerminal = logFile === undefined && process.stderr.isTTY === true;
    const transportOptions: PrettyLogTransportOptions = {
      destination: logFile ?? 2,
      colorize: toTerminal && process.env.NO_COLOR === undefined && process.stderr.hasColors?.() !== false,
      clearLine: toTerminal,
    };
    return createLogger({ level, destination: lazyTransport(transportOptions) });
  }
  const logger = createLogger({ level, destination: logFile ? pino.destination({ dest: logFile, mkdir: true, sync: false }) : 2 });
  // Its lines are written asynchronously: the CLI flushes them before it exits.
  flushBeforeExit(() => flushLogs(logger));
  return logger;
}

/**
 * Resolves once the lines logged so far are written: before a command prints its own
 * output (a results table), so the log lines of the checks come first on a terminal.
 */
export function flushLogs(logger: Logger): Promise<void> {
  return new Promise((resolve) => logger.flush(() => resolve()));
}

/** How long the CLI waits at exit for the transport's last lines. */
const TRANSPORT_CLOSE_MS = 3000;

/**
 * A destination that starts the pretty transport on its first line, and ends it (its
 * worker writes what it holds, then exits) when the CLI exits.
 */
/** What pino.transport() returns (a ThreadStream), as used here. */
type PrettyTransport = DestinationStream & NodeJS.EventEmitter & { end(): void; flush(cb: (err?: Error) => void): void };

function lazyTransport(options: PrettyLogTransportOptions): DestinationStream {
  let transport: PrettyTransport | undefined;
  flushBeforeExit(async () => {
    const stream = transport;
    if (!stream) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, TRANSPORT_CLOSE_MS);
      stream.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      stream.end();
    });
  });
  return {
    write(line: string) {
      if (!transport) {
        transport = pino.transport({ target: fileURLToPath(new URL('./pretty-log-transport.js', import.meta.url)), options });
        // A terminal that went away (SIGHUP: the worker's writes fail) loses log lines;
        // it must not end the process before the round in flight is saved.
        transport.on('error', () => undefined);
      }
      transport.write(line);
    },
    // logger.flush(): the worker has written every line so far (flushLogs).
    flush(cb: (err?: Error) => void) {
      if (transport) transport.flush(cb);
      else cb();
    },
  } as DestinationStream;
}
