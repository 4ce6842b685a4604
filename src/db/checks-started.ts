/** Records checks as in progress: multi-row INSERTs of BATCH_ROWS rows. */
import { StoreError, errorMessage } from '../errors.js';
import type { CheckRecord } from '../types.js';
import { chunks, sqlTimestamp } from './batch.js';
import type { Queryable } from './db.js';
import { pgp } from './pgp.js';
import { scanIdParam } from './scan-id.js';

const columns = new pgp.helpers.ColumnSet(
  [
    'scan_id', 'team', 'service', 'type', 'status', 'points',
    { name: 'started_at', mod: ':raw' },
  ],
  { table: 'checks' },
);

/**
 * Inserts one `in_progress` row per record. A check started twice (same scan, team and
 * service) fails the whole batch: run it in a transaction.
 */
export async function insertStartedChecks(t: Queryable, records: readonly CheckRecord[]): Promise<void> {
  for (const chunk of chunks(records)) {
    const rows = chunk.map((r) => ({
      scan_id: scanIdParam(r.scanId),
      team: r.service.team.number,
      service: r.service.name,
      type: r.service.type,
      status: 'in_progress',
      points: r.service.points,
      started_at: sqlTimestamp(r.startedAt),
    }));
    try {
      await t.none(pgp.helpers.insert(rows, columns));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === '23505') throw new StoreError(`checksStarted: a check in this batch was already started (${errorMessage(err)})`, { cause: err });
      if (code === '23503') throw new StoreError(`checksStarted: a check in this batch names a scan that does not exist`, { cause: err });
      throw new StoreError(`checksStarted: inserting ${chunk.length} checks failed: ${errorMessage(err)}`, { cause: err });
    }
  }
}
