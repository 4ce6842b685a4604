/**
 * Races each step of a library-driven probe (mysql2, pg, node-redis) against its
 * deadline's AbortSignal. The libraries take no signal of their own, so when the signal
 * aborts the probe destroys its connection (`destroy`) and every pending or later step
 * rejects at once with the abort reason, whatever the protocol was waiting for.
 */
import { toError } from './tcp-session.js';

/** A probe's steps raced against one AbortSignal. */
export interface AbortRace {
  /** Settles as `step` does, or rejects with the abort reason as soon as the signal aborts. */
  race<T>(step: Promise<T>): Promise<T>;
  /** Stops listening to the signal; call it once the probe is done. */
  stop(): void;
}

/**
 * Listens to `signal` (not aborted yet): on abort calls `destroy` once, then rejects
 * every raced step with the reason (an Error as is, anything else wrapped in one).
 */
export function abortRace(signal: AbortSignal, destroy: () => void): AbortRace {
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => {
      destroy();
      reject(toError(signal.reason));
    };
  });
  aborted.catch(() => undefined); // no step may be pending when it rejects
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    race: <T>(step: Promise<T>) => Promise.race([step, aborted]),
    stop: () => signal.removeEventListener('abort', onAbort),
  };
}
