/**
 * The team actor's last database step for a batch of finished checks, one batch at a
 * time: endCheck of each (with the database lent for that call), then one write of all
 * their results. endCheck may amend its check's score and error (`check.result`), as
 * the external type does with the round's report; the score stays within 0..points.
 */
import { errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckResult, ScanRecord } from '../types.js';
import type { FinishedCheck } from './check-group.js';
import { openCheckDbSession } from './check-db-session.js';
import { callWithDatabase } from './db-gate.js';

/** Runs endCheck for each finished check (not interrupted ones), then writes all their results at once. */
export async function endChecksAndWrite(
  batch: readonly FinishedCheck[],
  store: Store,
  teamInfo: (team: number, key: string) => string | undefined,
  scan: ScanRecord,
): Promise<CheckResult[]> {
  const session = openCheckDbSession(store, scan, teamInfo);
  const results: CheckResult[] = [];
  for (const item of batch) {
    const { record, type, result } = item;
    record.result = result;
    record.finishedAt = result.finishedAt;
    // A stopped scan's unfinished check has no result for endCheck to amend or mark
    // finished: it is stored as interrupted as it is.
    if (result.status === 'interrupted') {
      results.push(result);
      continue;
    }
    const warnings = [...result.warnings];
    try {
      const answer = callWithDatabase(type, 'endCheck', record, session);
      if (answer) await answer;
    } catch (err) {
      warnings.push(`endCheck: ${errorMessage(err)}`);
    }
    if (!session.finishedIds.has(record.id)) {
      session.markFinished(record);
      warnings.push(`endCheck of '${type.shortName}' did not call super.endCheck(); the check was marked finished for it`);
    }
    results.push(amended(result, record.result, warnings));
  }
  await store.checksFinished(results);
  return results;
}

/**
 * `result` with the score and error endCheck left on the record (score within 0..points),
 * `warnings`, and the warnings endCheck appended (an external report's message on a full score).
 */
function amended(result: CheckResult, after: CheckResult | undefined, warnings: readonly string[]): CheckResult {
  const score = after && Number.isFinite(after.score) ? Math.min(Math.max(after.score, 0), result.points) : result.score;
  const error = after && (after.error === null || typeof after.error === 'string') ? after.error : result.error;
  const added = after && Array.isArray(after.warnings) ? after.warnings.slice(result.warnings.length).filter((w) => typeof w === 'string') : [];
  const all = added.length > 0 ? [...warnings, ...added] : warnings;
  if (score === result.score && error === result.error && all.length === result.warnings.length) return result;
  return { ...result, score, error, warnings: all };
}
