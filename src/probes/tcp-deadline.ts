/**
 * A probe's own time limit, a little inside the check's deadline, so that a probe that
 * runs out of time can still say which step got no answer ("connected to
 * 10.7.1.20:3389; no X.224 Connection Confirm within 4.75 s") before the engine's
 * deadline aborts the whole check with a generic message. Used by every probe, not
 * only TCP ones. One timer, cleared by `dispose()`.
 */
import { linkToDeadline } from '../lifecycle/deadline.js';
import type { CheckContext } from '../types.js';

/** A probe's time limit and the signal that fires at it (or when the check aborts). */
export interface ProbeDeadline {
  /** Aborts at the probe's limit or when the check's own signal aborts. */
  readonly signal: AbortSignal;
  /** Milliseconds the probe was given. */
  readonly ms: number;
  /** True when the probe's own limit fired (not a scan stop or the engine deadline). */
  timedOut(): boolean;
  /** The limit in seconds for messages: "4.75". */
  seconds(): string;
  /** Milliseconds left before the limit. */
  remainingMs(): number;
  /** Clears the timer and the parent listener. Idempotent. */
  dispose(): void;
}

/** Why a probe deadline aborted its signal when its own limit fired. */
export class ProbeTimeout extends Error {
  constructor(ms: number) {
    super(`probe time limit of ${ms} ms reached`);
    this.name = 'ProbeTimeout';
  }
}

/**
 * Starts a probe deadline ending `min(250 ms, 10 %)` before the check's deadline, or
 * after `limitMs` when given and shorter.
 */
export function startProbeDeadline(ctx: Pick<CheckContext, 'signal' | 'deadline'>, limitMs?: number): ProbeDeadline {
  const left = Math.max(0, ctx.deadline - Date.now());
  let ms = Math.max(1, Math.floor(left - Math.min(250, left * 0.1)));
  if (limitMs !== undefined && limitMs < ms) ms = Math.max(1, limitMs);
  const controller = new AbortController();
  const start = Date.now();
  let own = false;
  const timer = setTimeout(() => {
    own = true;
    controller.abort(new ProbeTimeout(ms));
  }, ms);
  const unlink = linkToDeadline(ctx, (reason) => controller.abort(reason));
  return {
    signal: controller.signal,
    ms,
    timedOut: () => own,
    seconds: () => String(Math.round(ms / 10) / 100),
    remainingMs: () => Math.max(0, ms - (Date.now() - start)),
    dispose() {
      clearTimeout(timer);
      unlink();
    },
  };
}
