/**
 * Records checks as in progress: one multi-row INSERT per chunk of BATCH_ROWS records.
 * Rows travel as a few array parameters expanded by unnest() (bind parameters, not SQL
 * text), which saves most of the planning and formatting a VALUES list of literals costs
 * (docs/storage.md, "Batching"; docs/benchmarks.md, "Measurements behind source
 * comments").
 */
import { StoreError, errorMessage } from '../errors.js';
import type { CheckRecord } from '../types.js';
import { numberArrayLiteral, textArrayLiteral } from './array-literal.js';
import { chunks } from './batch.js';
import type { Queryable } from './db.js';
import { pgp } from './pgp.js';
import { scanIdParam } from './scan-id.js';

const insertStarted = `INSERT INTO checks (scan_id, team, service, type, status, points, started_at)
  SELECT u.scan_id, u.team, u.service, u.type, 'in_progress', u.points, to_timestamp(u.started_ms / 1000.0)
  FROM unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::float8[], $6::float8[])
    AS u (scan_id, team, service, type, points, started_ms)`;

/**
 * Inserts one `in_progress` row per record. A check started twice (same scan, team and
 * service) fails the whole batch: run it in a transaction.
 */
export async function insertStartedChecks(t: Queryable, records: readonly CheckRecord[]): Promise<void> {
  for (const chunk of chunks(records)) {
    const n = chunk.length;
    const scanIds = new Array<string>(n), teams = new Array<number>(n), services = new Array<string>(n);
    const types = new Array<string>(n), points = new Array<number>(n), startedMs = new Array<number>(n);
    chunk.forEach((r, i) => {
      scanIds[i] = scanIdParam(r.scanId);
      teams[i] = r.service.team.number;
      services[i] = r.service.name;
      types[i] = r.service.type;
      points[i] = r.service.points;
      startedMs[i] = r.startedAt;
    });
    try {
      await t.none(
        new pgp.ParameterizedQuery({
          text: insertStarted,
          values: [
            numberArrayLiteral(scanIds),
            numberArrayLiteral(teams),
            textArrayLiteral(services),
            textArrayLiteral(types),
            numberArrayLiteral(points),
            numberArrayLiteral(startedMs),
          ],
        }),
      );
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505') throw new StoreError(`checksStarted: a check in this batch was already started (${errorMessage(err)})`, { cause: err });
      if (code === '23503') throw new StoreError(`checksStarted: a check in this batch names a scan that does not exist`, { cause: err });
      throw new StoreError(`checksStarted: inserting ${n} checks failed: ${errorMessage(err)}`, { cause: err });
    }
  }
}
