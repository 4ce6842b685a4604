/** A team's counts of finished checks, as its chart shows them and the scan sums them. */
import type { CheckResult } from '../types.js';

/** A team's counts of written (or unwritable) results. */
export interface TeamCounts {
  readonly checks: number;
  readonly up: number;
  readonly down: number;
  readonly timedOut: number;
  /** Checks of a stopped scan that did not finish: neither up nor down, no score. */
  readonly interrupted: number;
  /** Checks that ran a second time because the scanner was overloaded during the first. */
  readonly rerun: number;
  /** Checks stored interrupted because the scanner was overloaded and a second run did not fit. */
  readonly overloaded: number;
}

/** No check finished yet. */
export const NO_CHECKS: TeamCounts = { checks: 0, up: 0, down: 0, timedOut: 0, interrupted: 0, rerun: 0, overloaded: 0 };

/** Counts results into a team's counts. */
export function tally(counts: TeamCounts, results: readonly CheckResult[]): TeamCounts {
  let { checks, up, down, timedOut, interrupted, rerun, overloaded } = counts;
  for (const result of results) {
    checks++;
    if (result.status === 'interrupted') {
      interrupted++;
      if (result.scannerStallMs !== undefined) overloaded++;
    } else if (result.error === null) up++;
    else down++;
    if (result.timedOut) timedOut++;
    if ((result.attempts ?? 1) > 1) rerun++;
  }
  return { checks, up, down, timedOut, interrupted, rerun, overloaded };
}
