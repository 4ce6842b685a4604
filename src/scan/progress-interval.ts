/**
 * How often teams tell their charts their counts while checks run. Each update is a
 * transition of the team's chart (a macrostep, a snapshot, inspection events), so a
 * large scan spaces its teams out (docs/benchmarks.md, "Where the time goes now").
 */

/** Counts sent to the team at most this often while checks run (the inspector shows them). */
export const PROGRESS_MS = 1000;

/** Progress updates a whole scan sends its teams per second at most, however many teams it has. */
export const SCAN_PROGRESS_PER_SECOND = 250;

/** How often a team of a scan of `teams` teams sends its counts: every PROGRESS_MS, or less often for more than SCAN_PROGRESS_PER_SECOND teams. */
export function progressIntervalMs(teams: number): number {
  return Math.max(PROGRESS_MS, Math.ceil((teams * 1000) / SCAN_PROGRESS_PER_SECOND));
}
