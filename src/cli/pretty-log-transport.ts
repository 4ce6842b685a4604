/**
 * The pino transport the CLI uses for log lines meant for people (a terminal, or
 * `--log-format pretty`): pino-pretty, run in pino's transport worker thread, with what
 * its options cannot say as plain data. pino.transport() loads this module by path in
 * that worker (only plain data crosses the thread), so the formatting functions live here:
 *
 *   14:02:07 INFO  team-2/web: FAIL Team2 : HTTP GET / to 127.0.0.1:8081 — HTTP 401
 *
 * A check line's structured fields are in its message already and are not repeated; its
 * reason (what the check reported) follows the line. On a terminal every line starts by
 * clearing the terminal's current line, so a log line printed while `run` shows its
 * progress line replaces it instead of being appended to it (the run loop redraws it).
 */
import { build, type PinoPretty } from 'pino-pretty';

/** What cliLogger hands the transport (plain data: it crosses to the worker thread). */
export interface PrettyLogTransportOptions {
  /** A file descriptor (2: stderr) or a file path (appended, folder made). */
  readonly destination: number | string;
  /** ANSI colours (a terminal that has them). */
  readonly colorize: boolean;
  /** Start every line with "carriage return, clear line" (a terminal with a progress line). */
  readonly clearLine: boolean;
}

/** Fields of a check log line (logger.ts, checkLogSink) that its message already says. */
const CHECK_LINE_FIELDS = 'scan,team,service,type,protocol,action,host,ok,reason';

const CLEAR_LINE = '\r\x1b[K';
const RED = (text: string) => `\x1b[31m${text}\x1b[39m`;

/** The pino-pretty stream for `options` (pino's transport worker calls this). */
export default function prettyLogTransport(options: PrettyLogTransportOptions): PinoPretty.PrettyStream {
  const { colorize, clearLine } = options;
  return build({
    destination: options.destination,
    ...(typeof options.destination === 'string' ? { mkdir: true, append: true } : {}),
    colorize,
    translateTime: 'SYS:HH:MM:ss',
    ignore: CHECK_LINE_FIELDS,
    singleLine: true,
    customPrettifiers: { time: (time) => `${clearLine ? CLEAR_LINE : ''}${typeof time === 'string' ? time : JSON.stringify(time)}` },
    messageFormat: (log, messageKey) => {
      const raw = log[messageKey];
      const message = typeof raw === 'string' ? raw : raw === undefined ? '' : JSON.stringify(raw);
      const reason = typeof log.reason === 'string' ? ` — ${log.reason}` : '';
      if (!colorize || log.ok !== false) return `${message}${reason}`;
      return `${message.replace(/: FAIL /, `: ${RED('FAIL')} `)}${reason ? RED(reason) : ''}`;
    },
  });
}
