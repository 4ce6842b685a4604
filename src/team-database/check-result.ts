/**
 * The one way a `CheckResult` is built: from the check's record and what the check
 * decided. Every result (a check that ran, one that failed before it could run, one
 * whose actor failed) comes from here, so they all have the same shape.
 */
import type { CheckRecord, CheckResult, HookTimings } from '../types.js';

/** What a check decided, besides what its record already says. */
export interface CheckVerdict {
  readonly score: number;
  readonly error: string | null;
  readonly timedOut: boolean;
  readonly resolvedType: string | undefined;
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
}

/** The result of `record`'s check, finished at `finishedAt`. */
export function checkResult(record: CheckRecord, verdict: CheckVerdict, finishedAt: number): CheckResult {
  const { service } = record;
  return {
    checkId: record.id,
    scanId: record.scanId,
    team: service.team.number,
    service: service.name,
    type: service.type,
    resolvedType: verdict.resolvedType,
    score: verdict.score,
    points: service.points,
    error: verdict.error,
    status: 'finished',
    startedAt: record.startedAt,
    finishedAt,
    durationMs: finishedAt - record.startedAt,
    warnings: verdict.warnings,
    timings: verdict.timings,
    timedOut: verdict.timedOut,
  };
}

/** The result of a check that failed before it ran, or whose actor failed: 0 with `error`. */
export function failedResult(record: CheckRecord, error: string, warnings: readonly string[], finishedAt: number): CheckResult {
  return checkResult(record, { score: 0, error, timedOut: false, resolvedType: undefined, warnings, timings: {} }, finishedAt);
}
