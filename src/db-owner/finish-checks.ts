/**
 * The db owner's last step for a batch of finished checks, run by the team's checks
 * runner (machines/checksRunner.ts), one batch at a time: endCheck (with the database),
 * then one batch write of the results.
 */
import { CheckDbSession } from '../check-db.js';
import { callWithDatabase } from '../db-gate.js';
import { errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckResult, ScanRecord } from '../types.js';
import { EXTERNAL_TYPE_NAME, NO_EXTERNAL_REPORT } from '../checks/external.js';
import type { FinishedCheck } from './check-group.js';

/** Runs endCheck for each finished check, then writes all their results at once. */
export async function finishChecks(
  batch: readonly FinishedCheck[],
  store: Store,
  teamInfo: (team: number, key: string) => string | undefined,
  scan: ScanRecord,
): Promise<CheckResult[]> {
  await applyExternalReports(batch, store, scan);
  const session = new CheckDbSession(teamInfo);
  const results: CheckResult[] = [];
  for (const item of batch) {
    const { record, type } = item;
    record.result = item.result;
    record.finishedAt = item.result.finishedAt;
    const warnings = [...item.result.warnings];
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
    results.push(warnings.length === item.result.warnings.length ? item.result : { ...item.result, warnings });
  }
  await store.checksFinished(results);
  return results;
}

/**
 * External checks take the latest report filed for their team and service this round
 * (capped at the service's points); their own result only says none came.
 */
async function applyExternalReports(batch: readonly FinishedCheck[], store: Store, scan: ScanRecord): Promise<void> {
  const externals = batch.filter((f) => f.type.shortName === EXTERNAL_TYPE_NAME && f.result.error === NO_EXTERNAL_REPORT);
  if (externals.length === 0) return;
  const reports = await store.externalReports({ competition: scan.competition, round: scan.round });
  for (const item of externals) {
    const latest = reports.filter((r) => r.team === item.result.team && r.service === item.result.service).at(-1);
    if (latest) item.result = { ...item.result, score: Math.min(latest.score, item.result.points), error: latest.error };
  }
}
