/** Closes checks that a crash left `in_progress`. */
import type { Queryable } from './db.js';

/** Message stored on a check closed by {@link interruptChecks}. */
export const INTERRUPTED_ERROR = 'interrupted: scorekeeper stopped before the check finished';

/**
 * Marks every `in_progress` check `interrupted` (no score: interrupted checks count for
 * nobody; finished_at is when it was closed, duration_ms stays null) and returns how many. Only the engine calls this, at start, when no other
 * engine writes to the same database.
 */
export async function interruptChecks(t: Queryable): Promise<number> {
  const result = await t.result(
    `UPDATE checks SET status = 'interrupted', error = $1, finished_at = now(), duration_ms = NULL
     WHERE status = 'in_progress'`,
    [INTERRUPTED_ERROR],
  );
  return result.rowCount;
}
