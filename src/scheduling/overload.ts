/**
 * When a failed check is the scanner's fault, not the team's: its thread's event loop
 * stalled long enough while it ran that an answer may have waited unread until the
 * deadline. Such a check runs again within the round if a second run fits before the
 * round's end; otherwise it is stored `interrupted` and counts for nobody, as a check of
 * a stopped scan does (docs/configuration.md, "Concurrency and overload").
 */

/**
 * A stall at least this long, ms, makes a failure suspect. Shorter stalls cannot turn a
 * healthy answer into a miss: probes end a quarter second before the check's deadline
 * (src/probes/tcp-deadline.ts), and an answer that came in is read within one turn.
 */
export const OVERLOAD_STALL_MS = 250;

/**
 * A stall counts when it was going on, or ended, this close to the check's verdict, ms:
 * only then can an answer that had arrived have waited unread past the probe's timer.
 */
export const VERDICT_WINDOW_MS = 500;

/** A stall anywhere in the check counts when it took this share of its timeout (it delayed the whole exchange). */
export const WHOLE_CHECK_SHARE = 0.25;

/**
 * The stall that makes a check's verdict suspect, ms, or 0: one at least
 * OVERLOAD_STALL_MS long around the verdict (`recentMs`: the worst stall within
 * VERDICT_WINDOW_MS of it), or one anywhere in the check (`wholeMs`) of at least a
 * quarter of its timeout. A burst of starts that stalls the thread early in a long check
 * does not make its timeout suspect: the answer would still have been read in time.
 */
export function suspectStall(recentMs: number, wholeMs: number, timeoutMs: number): number {
  if (recentMs >= OVERLOAD_STALL_MS) return recentMs;
  return wholeMs >= Math.max(OVERLOAD_STALL_MS, timeoutMs * WHOLE_CHECK_SHARE) ? wholeMs : 0;
}

/** Time kept free after a second run before the round's end, ms. */
export const RERUN_MARGIN_MS = 500;

/** Whether a second run of a check with deadline `timeoutMs`, started `now`, ends before `roundEndsAt`. */
export function rerunFits(now: number, timeoutMs: number, roundEndsAt: number): boolean {
  return now + timeoutMs + RERUN_MARGIN_MS <= roundEndsAt;
}

/** The reason an overloaded check counts for nobody (after "interrupted: "). */
export function overloadReason(stalledMs: number): string {
  return `the scanner was overloaded (its event loop stalled ${(stalledMs / 1000).toFixed(2)} s while the check ran) and there was no time to run it again; not scored`;
}
