/** Check results of a round, for the CLI's `results` view. */
import type { CheckStatus } from '../types.js';
import type { Queryable } from './db.js';

/** Which results to read. */
export interface ResultsQuery {
  readonly competition: string;
  /** Round number; default the latest round of the competition. */
  readonly round?: number;
  /** Only this team number. */
  readonly team?: number;
}

/** One stored check, as the CLI shows it. */
export interface ResultRow {
  readonly round: number;
  readonly team: number;
  readonly service: string;
  readonly type: string;
  readonly resolvedType: string | null;
  readonly status: CheckStatus;
  readonly score: number | null;
  readonly points: number;
  readonly error: string | null;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly durationMs: number | null;
  readonly warnings: string[];
  /** Up as the scoreboard counts it (round_scores); null when the round is not scored. */
  readonly up: boolean | null;
}

interface Row {
  round: number; team: number; service: string; type: string; resolved_type: string | null;
  status: CheckStatus; score: number | null; points: number; error: string | null;
  started_at: Date; finished_at: Date | null; duration_ms: number | null; warnings: string[]; up: boolean | null;
}

/** The checks of one round (default: the latest), ordered by team then service. */
export async function results(t: Queryable, query: ResultsQuery): Promise<ResultRow[]> {
  return t.map(
    // a report filed after the round closed changes round_scores, not the check row: an
    // externally scored round shows its latest report, as the scoreboard counts it
    `SELECT s.round, c.team, c.service, c.type, c.resolved_type, c.status,
            CASE WHEN x.score IS NULL THEN c.score ELSE x.score END AS score,
            CASE WHEN x.score IS NULL THEN c.points ELSE x.points END AS points,
            CASE WHEN x.score IS NULL THEN c.error ELSE x.error END AS error,
            c.started_at, c.finished_at, c.duration_ms, c.warnings, u.up
     FROM checks c JOIN scans s ON s.id = c.scan_id JOIN competitions k ON k.id = s.competition_id
     LEFT JOIN LATERAL (
       SELECT rs.score, rs.points, (SELECT e.error FROM external_reports e
                                    WHERE e.competition_id = k.id AND e.round = s.round AND e.team = c.team AND e.service = c.service
                                    ORDER BY e.id DESC LIMIT 1) AS error
       FROM round_scores rs
       WHERE rs.competition_id = k.id AND rs.round = s.round AND rs.team = c.team AND rs.service = c.service AND rs.source = 'external'
     ) x ON true
     LEFT JOIN round_scores u ON u.competition_id = k.id AND u.round = s.round AND u.team = c.team AND u.service = c.service
       AND c.status = 'finished'
     WHERE k.name = $1
       AND s.round = COALESCE($2::int, (SELECT MAX(round) FROM scans WHERE competition_id = k.id))
       AND ($3::int IS NULL OR c.team = $3)
     ORDER BY c.team, c.service`,
    [query.competition, query.round ?? null, query.team ?? null],
    (r: Row) => ({
      round: r.round, team: r.team, service: r.service, type: r.type, resolvedType: r.resolved_type,
      status: r.status, score: r.score, points: r.points, error: r.error, startedAt: r.started_at,
      finishedAt: r.finished_at, durationMs: r.duration_ms, warnings: r.warnings, up: r.up,
    }),
  );
}
