/** Flat rows of a competition's history for CSV/JSON export. */
import type { Queryable } from './db.js';
import { externalUp } from './external.js';

/** Which rounds to export (inclusive bounds; default all). */
export interface ExportQuery {
  readonly competition: string;
  readonly fromRound?: number;
  readonly toRound?: number;
}

/**
 * One exported row: a check (`source: 'check'`) or an external report
 * (`source: 'external'`). Plain strings/numbers/null only, ready for CSV.
 */
export interface ExportRow {
  readonly source: 'check' | 'external';
  readonly round: number;
  readonly team: number;
  readonly service: string;
  readonly type: string | null;
  readonly resolvedType: string | null;
  readonly status: string;
  readonly score: number | null;
  readonly points: number;
  readonly up: boolean;
  readonly error: string | null;
  /** ISO 8601. */
  readonly startedAt: string | null;
  /** ISO 8601. */
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  /** Warnings joined with "; ". */
  readonly warnings: string;
}

interface Row {
  source: 'check' | 'external'; round: number; team: number; service: string; type: string | null;
  resolved_type: string | null; status: string; score: number | null; points: number; error: string | null;
  started_at: Date | null; finished_at: Date | null; duration_ms: number | null; warnings: string[] | null;
}

/** Every check and external report of the rounds asked for, by round, team, service. */
export async function exportRows(t: Queryable, query: ExportQuery): Promise<ExportRow[]> {
  return t.map(
    `SELECT * FROM (
       SELECT 'check' AS source, s.round, c.team, c.service, c.type, c.resolved_type, c.status, c.score,
              c.points, c.error, c.started_at, c.finished_at, c.duration_ms, c.warnings
       FROM checks c JOIN scans s ON s.id = c.scan_id JOIN competitions k ON k.id = s.competition_id
       WHERE k.name = $1
       UNION ALL
       SELECT 'external', e.round, e.team, e.service, NULL, NULL, 'finished', e.score,
              e.points, e.error, e.reported_at, e.reported_at, NULL, NULL
       FROM external_reports e JOIN competitions k ON k.id = e.competition_id
       WHERE k.name = $1) x
     WHERE ($2::int IS NULL OR x.round >= $2) AND ($3::int IS NULL OR x.round <= $3)
     ORDER BY x.round, x.team, x.service, x.source`,
    [query.competition, query.fromRound ?? null, query.toRound ?? null],
    (r: Row) => ({
      source: r.source, round: r.round, team: r.team, service: r.service, type: r.type,
      resolvedType: r.resolved_type, status: r.status, score: r.score, points: r.points,
      up: r.source === 'external' ? externalUp(r.score ?? 0, r.points, r.error) : r.status === 'finished' && r.error === null, error: r.error,
      startedAt: r.started_at?.toISOString() ?? null, finishedAt: r.finished_at?.toISOString() ?? null,
      durationMs: r.duration_ms, warnings: (r.warnings ?? []).join('; '),
    }),
  );
}
