/**
 * The recorder: writes the hub's sanitized stream to a file as JSON lines, one
 * HubMessage per line (ticks left out), for `scorekeeper replay`. Subscribing attaches
 * the hub like any watcher. The file is owner-only (0600), also when it existed before.
 */
import { closeSync, createWriteStream, openSync, type WriteStream } from 'node:fs';
import type { Observable } from 'rxjs';
import { PRIVATE_FILE_MODE, tightenOpenFile } from '../private-files.js';
import type { HubMessage } from './hub-messages.js';

/** A recording in progress. */
export interface Recording {
  /** Messages written so far. */
  readonly count: () => number;
  /** Stops recording and closes the file. */
  close(): Promise<void>;
}

/** Records `messages$` into `file` (created or truncated). */
export function recordInspection(messages$: Observable<HubMessage>, file: string): Recording {
  let failure: Error | undefined;
  let out: WriteStream | undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'w', PRIVATE_FILE_MODE);
    // Truncating a file that existed keeps its mode.
    tightenOpenFile(fd);
    out = createWriteStream(file, { fd });
    out.on('error', (err) => {
      failure = err;
    });
  } catch (err) {
    if (fd !== undefined && !out) closeSync(fd);
    // Reported by close(), as a failed write is.
    failure = err as Error;
  }
  let written = 0;
  const sub = messages$.subscribe((m) => {
    // Ticks and the loop's schedule say nothing about the actors: not recorded.
    if (m.kind === 'tick' || m.kind === 'schedule' || m.kind === 'health' || failure || !out) return;
    out.write(`${JSON.stringify(m)}\n`);
    written++;
  });
  return {
    count: () => written,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sub.unsubscribe();
        if (failure || !out) return reject(new Error(`recording to ${file} failed: ${failure?.message}`));
        out.end(() => (failure ? reject(new Error(`recording to ${file} failed: ${failure.message}`)) : resolve()));
      }),
  };
}
