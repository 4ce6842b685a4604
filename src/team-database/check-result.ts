/**
 * The one way a `CheckResult` is built: from the check's record and what the check
 * decided. Every result (a check that ran, one that failed before it could run, one
 * whose actor failed) comes from here, so they all have the same shape.
 */
import type { CheckRecord, CheckResult, CheckStatus, HookTimings } from '../types.js';

/** What a check decided, besides what its record already says. */
export interface CheckVerdict {
  readonly score: number;
  readonly error: string | null;
  readonly timedOut: boolean;
  readonly resolvedType: string | undefined;
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
  /** The scanner that ran the check (distributed mode). */
  readonly scanner?: string;
}

/** The result of `record`'s check, finished (or interrupted) at `finishedAt`. */
export function checkResult(record: CheckRecord, verdict: CheckVerdict, finishedAt: number, status: CheckStatus = 'finished'): CheckResult {
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
    status,
    startedAt: record.startedAt,
    finishedAt,
    durationMs: finishedAt - record.startedAt,
    warnings: verdict.warnings,
    timings: verdict.timings,
    timedOut: verdict.timedOut,
    ...(verdict.scanner !== undefined ? { scanner: verdict.scanner } : {}),
  };
}

/** The result of a check that failed before it ran, or whose actor failed: 0 with `error`. */
export function failedResult(record: CheckRecord, error: string, warnings: readonly string[], finishedAt: number): CheckResult {
  return checkResult(record, { score: 0, error, timedOut: false, resolvedType: undefined, warnings, timings: {} }, finishedAt);
}

/**
 * The result of a check its scan was stopped before it finished (running, or queued and
 * never started): `interrupted`, 0 points of no round, `error` says why. What the check
 * had done so far (its resolved type, timings) is kept when there is a verdict.
 */
export function interruptedResult(record: CheckRecord, reason: string, warnings: readonly string[], finishedAt: number, verdict?: CheckVerdict): CheckResult {
  const base = verdict ?? { score: 0, error: null, timedOut: false, resolvedType: undefined, warnings: [], timings: {} };
  return checkResult(record, { ...base, score: 0, error: `interrupted: ${reason}`, timedOut: false, warnings: warnings.length === 0 ? base.warnings : [...warnings, ...base.warnings] }, finishedAt, 'interrupted');
}
