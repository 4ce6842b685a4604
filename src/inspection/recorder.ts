/**
 * The recorder: writes the hub's sanitized stream to a file as JSON lines, one
 * HubMessage per line (ticks left out), for `scorekeeper replay`. Subscribing attaches
 * the hub like any watcher.
 */
import { createWriteStream } from 'node:fs';
import type { Observable } from 'rxjs';
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
  const out = createWriteStream(file, { flags: 'w', mode: 0o600 });
  let failure: Error | undefined;
  out.on('error', (err) => {
    failure = err;
  });
  let written = 0;
  const sub = messages$.subscribe((m) => {
    if (m.kind === 'tick' || failure) return;
    out.write(`${JSON.stringify(m)}\n`);
    written++;
  });
  return {
    count: () => written,
    close: () =>
      new Promise<void>((resolve, reject) => {
        sub.unsubscribe();
        if (failure) return reject(new Error(`recording to ${file} failed: ${failure.message}`));
        out.end(() => (failure ? reject(new Error(`recording to ${file} failed: ${failure.message}`)) : resolve()));
      }),
  };
}
