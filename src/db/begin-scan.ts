/** Opens a scan with the next round number of its competition. */
import type { ScanRecord } from '../types.js';
import type { Queryable } from './db.js';
import { ensureCompetition } from './ensure-competition.js';

/**
 * Inserts a scan numbered one past the competition's last round. Run it in a
 * transaction: the competition row is locked so concurrent scans get distinct rounds.
 */
export async function beginScan(t: Queryable, competition: string, startedAt: number): Promise<ScanRecord> {
  const competitionId = await ensureCompetition(t, competition);
  await t.one('SELECT 1 FROM competitions WHERE id = $1 FOR UPDATE', [competitionId]);
  const row = await t.one<{ id: string; round: number }>(
    `INSERT INTO scans (competition_id, round, started_at)
     SELECT $1, COALESCE(MAX(round), 0) + 1, $2 FROM scans WHERE competition_id = $1
     RETURNING id, round`,
    [competitionId, new Date(startedAt)],
  );
  return { id: row.id, competition, round: row.round, startedAt };
}
