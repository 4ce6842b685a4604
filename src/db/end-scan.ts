/** Closes a scan with its summary. */
import { StoreError } from '../errors.js';
import type { ScanSummary } from '../types.js';
import type { Queryable } from './db.js';
import { scanIdParam } from './scan-id.js';

/** Writes the summary on the scan row; throws when the scan does not exist. */
export async function endScan(t: Queryable, summary: ScanSummary): Promise<void> {
  const result = await t.result(
    `UPDATE scans SET finished_at = $2, duration_ms = $3, checks = $4, up = $5, down = $6,
       timed_out = $7, store_issues = $8:json
     WHERE id = $1`,
    [
      scanIdParam(summary.scanId), new Date(summary.finishedAt), Math.round(summary.durationMs), summary.checks,
      summary.up, summary.down, summary.timedOut, summary.storeIssues,
    ],
  );
  if (result.rowCount === 0) throw new StoreError(`endScan: scan ${summary.scanId} does not exist`);
}
