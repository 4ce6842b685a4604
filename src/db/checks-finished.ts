/**
 * Records finished checks and their per-round scores: per chunk of BATCH_ROWS results,
 * ONE statement updates the check rows and upserts the matching round_scores rows
 * (only `finished` results score; an interrupted check counts for nobody and keeps
 * no score). Rows travel
 * as array parameters expanded by unnest(), like checks-started.ts.
 */
import { StoreError, errorMessage } from '../errors.js';
import type { CheckResult } from '../types.js';
import { numberArrayLiteral, textArrayLiteral } from './array-literal.js';
import { chunks } from './batch.js';
import type { Queryable } from './db.js';
import { pgp } from './pgp.js';
import { scanIdParam } from './scan-id.js';

const rowsCte = `v AS (
    SELECT * FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::text[], $6::float8[],
                         $7::float8[], $8::text[], $9::float8[], $10::int[], $11::text[], $12::text[])
      AS v (scan_id, team, service, resolved_type, status, score, points, error, finished_ms, duration_ms, warnings, timings))`;

const finishSql = `WITH ${rowsCte},
  u AS (
    UPDATE checks c SET resolved_type = v.resolved_type, status = v.status,
      score = CASE WHEN v.status = 'interrupted' THEN NULL ELSE v.score END,
      points = v.points, error = v.error, finished_at = to_timestamp(v.finished_ms / 1000.0),
      duration_ms = v.duration_ms, warnings = v.warnings::jsonb, timings = v.timings::jsonb
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

const missingSql = `WITH ${rowsCte}
  SELECT v.scan_id, v.team, v.service FROM v
  WHERE NOT EXISTS (SELECT 1 FROM checks c WHERE c.scan_id = v.scan_id AND c.team = v.team AND c.service = v.service)
  LIMIT 3`;

/** The twelve column parameters of a chunk (array literals), in the order of the unnest() above. */
function columnArrays(chunk: readonly CheckResult[]): string[] {
  const n = chunk.length;
  const scanIds = new Array<string>(n), teams = new Array<number>(n), services = new Array<string>(n);
  const resolved = new Array<string | null>(n), statuses = new Array<string>(n), scores = new Array<number>(n);
  const points = new Array<number>(n), errors = new Array<string | null>(n), finished = new Array<number>(n);
  const durations = new Array<number>(n), warnings = new Array<string>(n), timings = new Array<string>(n);
  chunk.forEach((r, i) => {
    scanIds[i] = scanIdParam(r.scanId);
    teams[i] = r.team;
    services[i] = r.service;
    resolved[i] = r.resolvedType ?? null;
    statuses[i] = r.status;
    scores[i] = r.score;
    points[i] = r.points;
    errors[i] = r.error;
    finished[i] = r.finishedAt;
    durations[i] = Math.round(r.durationMs);
    warnings[i] = JSON.stringify(r.warnings);
    timings[i] = JSON.stringify(r.timings);
  });
  return [
    numberArrayLiteral(scanIds),
    numberArrayLiteral(teams),
    textArrayLiteral(services),
    textArrayLiteral(resolved),
    textArrayLiteral(statuses),
    numberArrayLiteral(scores),
    numberArrayLiteral(points),
    textArrayLiteral(errors),
    numberArrayLiteral(finished),
    numberArrayLiteral(durations),
    textArrayLiteral(warnings),
    textArrayLiteral(timings),
  ];
}

/**
 * Updates one started check row per result and upserts its round score. Run it in a
 * transaction: it sets planner options for that transaction, and throws (so the
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
  // A chunk touches ~1,000 rows of a table of millions: probe the unique index per row.
  // Left to itself the planner hashes the whole checks table for every chunk, at a cost
  // that grows with history (docs/storage.md, "Batching"). SET LOCAL ends with the
  // caller's transaction.
  await t.none('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
  let scored = 0;
  for (const chunk of chunks(results)) {
    const values = columnArrays(chunk);
    let counts: { updated: number; scored: number };
    try {
      counts = await t.one<{ updated: number; scored: number }>(new pgp.ParameterizedQuery({ text: finishSql, values }));
    } catch (err) {
      throw new StoreError(`checksFinished: recording ${chunk.length} results failed: ${errorMessage(err)}`, { cause: err });
    }
    if (counts.updated !== chunk.length) {
      const missing = await t.map(
        new pgp.ParameterizedQuery({ text: missingSql, values }),
        undefined,
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
