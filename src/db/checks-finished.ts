/**
 * Records finished checks and their per-round scores: per chunk of BATCH_ROWS results,
 * ONE statement updates the check rows and upserts the matching round_scores rows
 * (only `finished` results score; an interrupted check counts for nobody).
 */
import { StoreError, errorMessage } from '../errors.js';
import type { CheckResult } from '../types.js';
import { chunks, sqlTimestamp } from './batch.js';
import type { Queryable } from './db.js';
import { pgp } from './pgp.js';
import { scanIdParam } from './scan-id.js';

const columns = new pgp.helpers.ColumnSet([
  { name: 'scan_id', cast: 'bigint' },
  { name: 'team', cast: 'int' },
  { name: 'service', cast: 'text' },
  { name: 'resolved_type', cast: 'text' },
  { name: 'status', cast: 'text' },
  { name: 'score', cast: 'float8' },
  { name: 'points', cast: 'float8' },
  { name: 'error', cast: 'text' },
  { name: 'finished_at', mod: ':raw' },
  { name: 'duration_ms', cast: 'int' },
  { name: 'warnings', mod: ':json', cast: 'jsonb' },
  { name: 'timings', mod: ':json', cast: 'jsonb' },
]);

const keys = columns.names;

/** Text of the UPDATE + upsert statement for one chunk. */
function finishSql(values: string): string {
  return `WITH v (${keys}) AS (VALUES ${values}),
  u AS (
    UPDATE checks c SET resolved_type = v.resolved_type, status = v.status, score = v.score,
      points = v.points, error = v.error, finished_at = v.finished_at, duration_ms = v.duration_ms,
      warnings = v.warnings, timings = v.timings
    FROM v WHERE c.scan_id = v.scan_id AND c.team = v.team AND c.service = v.service
    RETURNING c.id, c.scan_id, c.team, c.service, c.status, c.score, c.points, c.error),
  s AS (
    INSERT INTO round_scores (competition_id, round, team, service, score, points, up, source, check_id)
    SELECT sc.competition_id, sc.round, u.team, u.service, u.score, u.points, u.error IS NULL, 'check', u.id
    FROM u JOIN scans sc ON sc.id = u.scan_id WHERE u.status = 'finished'
    ON CONFLICT (competition_id, round, team, service) DO UPDATE SET score = EXCLUDED.score,
      points = EXCLUDED.points, up = EXCLUDED.up, source = EXCLUDED.source, check_id = EXCLUDED.check_id
    RETURNING 1)
  SELECT (SELECT count(*)::int FROM u) AS updated, (SELECT count(*)::int FROM s) AS scored`;
}

/**
 * Updates one started check row per result and upserts its round score. Throws (so the
 * caller's transaction rolls back) when a result names a check that was never started
 * or appears twice in the batch.
 */
export async function finishChecks(t: Queryable, results: readonly CheckResult[]): Promise<{ scored: number }> {
  const seen = new Set<string>();
  for (const r of results) {
    const key = `${r.scanId}\u0000${r.team}\u0000${r.service}`;
    if (seen.has(key)) throw new StoreError(`checksFinished: check ${r.checkId} appears twice in one batch`);
    seen.add(key);
  }
  let scored = 0;
  for (const chunk of chunks(results)) {
    const rows = chunk.map((r) => ({
      scan_id: scanIdParam(r.scanId),
      team: r.team,
      service: r.service,
      resolved_type: r.resolvedType ?? null,
      status: r.status,
      score: r.score,
      points: r.points,
      error: r.error,
      finished_at: sqlTimestamp(r.finishedAt),
      duration_ms: Math.round(r.durationMs),
      warnings: r.warnings,
      timings: r.timings,
    }));
    let counts: { updated: number; scored: number };
    try {
      counts = await t.one<{ updated: number; scored: number }>(finishSql(pgp.helpers.values(rows, columns)));
    } catch (err) {
      throw new StoreError(`checksFinished: recording ${chunk.length} results failed: ${errorMessage(err)}`, { cause: err });
    }
    if (counts.updated !== chunk.length) {
      const missing = await t.map(
        `SELECT v.scan_id, v.team, v.service FROM (VALUES ${pgp.helpers.values(rows, columns)}) AS v (${keys})
         WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.scan_id = v.scan_id AND c.team = v.team AND c.service = v.service)
         LIMIT 3`,
        [],
        (r: { scan_id: string; team: number; service: string }) => `${r.scan_id}:team-${r.team}/${r.service}`,
      );
      throw new StoreError(
        `checksFinished: ${chunk.length - counts.updated} of ${chunk.length} results name checks that were never started (${missing.join(', ')})`,
      );
    }
    scored += counts.scored;
  }
  return { scored };
}
