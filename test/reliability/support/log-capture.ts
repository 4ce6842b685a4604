/**
 * A pino logger with scorekeeper's redaction whose lines are kept in memory, so a test
 * can wait for a line and search every line for secrets.
 */
import { Writable } from 'node:stream';
import type { Logger } from 'pino';
import { createLogger } from '../../../src/logger.js';

/** A logger and the lines it wrote. */
export interface CapturedLog {
  readonly logger: Logger;
  /** Every line written so far (JSON text). */
  readonly lines: string[];
  /** Resolves when a line matching `pattern` has been written (or rejects after `withinMs`). */
  waitFor(pattern: RegExp, withinMs?: number): Promise<string>;
}

/** A capturing logger at `level` (default debug). */
export function captureLog(level = 'debug'): CapturedLog {
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) {
        if (!line) continue;
        lines.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
      done();
    },
  });
  const logger = createLogger({ level, destination: sink });
  return {
    logger,
    lines,
    waitFor(pattern, withinMs = 20_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matched ${pattern} within ${withinMs} ms; lines: ${lines.slice(-5).join(' | ')}`)), withinMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}
