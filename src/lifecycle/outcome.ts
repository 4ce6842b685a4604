/**
 * How a check's score and error are decided from what happened in its lifecycle. Pure:
 * every path ends in exactly one score and, when the service is down, one message.
 */
import type { CheckSession } from '../check-session.js';
import { CheckTimeoutError, errorMessage } from '../errors.js';
import type { HookTimings, Service } from '../types.js';

/** What the lifecycle observed for one service. */
export interface Observed {
  readonly session: CheckSession;
  /** A hook failure that ends the check (thrown, timed out, unknown type). */
  readonly failure?: { readonly phase: string; readonly error: unknown };
}

/** The score and error message for a blue team. */
export interface Decided {
  readonly score: number;
  readonly error: string | null;
  readonly timedOut: boolean;
}

/** Turns what happened into the one score this check gets. */
export function decideOutcome({ session, failure }: Observed): Decided {
  if (session.violations.length > 0) {
    return { score: 0, error: session.violations[0] ?? 'invalid report', timedOut: false };
  }
  if (failure) {
    const timedOut = failure.error instanceof CheckTimeoutError;
    const message = errorMessage(failure.error);
    return { score: 0, error: timedOut ? message : prefixPhase(failure.phase, message), timedOut };
  }
  if (!session.reported) {
    return { score: 0, error: 'the check finished without calling reportScore()', timedOut: false };
  }
  return { score: session.reported.score, error: session.reported.error, timedOut: false };
}

function prefixPhase(phase: string, message: string): string {
  // doCheck's own messages are what blue teams read: keep them as they are.
  return phase === 'doCheck' || phase === 'doMassCheck' ? message : `${phase}: ${message}`;
}

/** The outcome for one service of the check. */
export interface ServiceOutcome extends Decided {
  readonly serviceId: string;
  /**
   * The check did not run to a verdict for a reason that is not the team's (no
   * scanner could run it in time): stored `interrupted`, counting for nobody; `error`
   * says why.
   */
  readonly interrupted?: boolean;
}

/** Everything a check reports when it ends. */
export interface LifecycleOutcome {
  readonly resolvedType: string | undefined;
  readonly outcomes: readonly ServiceOutcome[];
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
  /**
   * An event-loop stall of the thread that ran the hooks that makes a failure suspect,
   * ms (src/scheduling/overload.ts, suspectStall; the tracker: loop-stalls.ts); absent
   * when the check passed or the thread kept up.
   */
  readonly stalledMs?: number;
  /** The scanner that ran the check, when it ran on one (src/scale-out). */
  readonly scanner?: string;
}

/** The outcome of a check that ended without running to the end: `error` for every service. */
export function endedWithError(services: readonly Service[], error: string, timedOut = false): LifecycleOutcome {
  return { resolvedType: undefined, outcomes: services.map((s) => ({ serviceId: s.id, score: 0, error, timedOut })), warnings: [], timings: {} };
}
