/**
 * External checks: scores reported from outside the engine (a white-team judgement, a
 * checker run elsewhere). Each report is kept; the latest one of a team, service and
 * round is that round's score in round_scores.
 */
import { StoreError } from '../errors.js';
import type { Queryable } from './db.js';
import { ensureCompetition } from './ensure-competition.js';

/** One score reported for one team's service in one round. */
export interface ExternalReport {
  readonly competition: string;
  /** Default: the latest round of the competition (1 when none ran yet). */
  readonly round?: number;
  readonly team: number;
  readonly service: string;
  readonly score: number;
  /** Possible points; default the service's configured points, else 1. */
  readonly points?: number;
  /** Why the service is down, or null/absent when up. */
  readonly error?: string | null;
}

/** A stored external report. */
export interface ExternalReportRow {
  readonly id: string;
  readonly round: number;
  readonly team: number;
  readonly service: string;
  readonly score: number;
  readonly points: number;
  readonly error: string | null;
  readonly reportedAt: Date;
}

/**
 * Whether a report counts the service up: no message, or the full score. A white team
 * that files 5/5 with a note ("slow, but all pages there") means up; the note is kept.
 */
export function externalUp(score: number, points: number, error: string | null): boolean {
  return error === null || (points > 0 && score >= points);
}

/** Stores a report and makes it the round's score; returns the round it was filed under. */
export async function recordExternal(t: Queryable, report: ExternalReport): Promise<{ round: number }> {
  if (!Number.isFinite(report.score) || report.score < 0) {
    throw new StoreError(`recordExternal: score ${report.score} for team ${report.team} service '${report.service}' is not a number >= 0`);
  }
  const competitionId = await ensureCompetition(t, report.competition);
  const row = await t.one<{ round: number; points: number }>(
    `INSERT INTO external_reports (competition_id, round, team, service, score, points, error)
     SELECT $1, COALESCE($2::int, (SELECT COALESCE(MAX(round), 1) FROM scans WHERE competition_id = $1)), $3, $4, $5,
            COALESCE($6::float8, (SELECT points FROM services WHERE competition_id = $1 AND name = $4), 1), $7
     RETURNING round, points`,
    [competitionId, report.round ?? null, report.team, report.service, report.score, report.points ?? null, report.error ?? null],
  );
  if (report.score > row.points) {
    throw new StoreError(`recordExternal: score ${report.score} for team ${report.team} service '${report.service}' is above its ${row.points} points`);
  }
  await t.none(
    `INSERT INTO round_scores (competition_id, round, team, service, score, points, up, source, check_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'external', NULL)
     ON CONFLICT (competition_id, round, team, service) DO UPDATE SET score = EXCLUDED.score,
       points = EXCLUDED.points, up = EXCLUDED.up, source = EXCLUDED.source, check_id = NULL`,
    [competitionId, row.round, report.team, report.service, report.score, row.points, externalUp(report.score, row.points, report.error ?? null)],
  );
  return { round: row.round };
}

/** Which reports to read. */
export interface ExternalReportsQuery {
  readonly competition: string;
  readonly round?: number;
  readonly team?: number;
}

/** Stored external reports, oldest first. */
export async function externalReports(t: Queryable, query: ExternalReportsQuery): Promise<ExternalReportRow[]> {
  return t.map(
    `SELECT e.id, e.round, e.team, e.service, e.score, e.points, e.error, e.reported_at
     FROM external_reports e JOIN competitions c ON c.id = e.competition_id
     WHERE c.name = $1 AND ($2::int IS NULL OR e.round = $2) AND ($3::int IS NULL OR e.team = $3)
     ORDER BY e.round, e.team, e.service, e.id`,
    [query.competition, query.round ?? null, query.team ?? null],
    (r: { id: string; round: number; team: number; service: string; score: number; points: number; error: string | null; reported_at: Date }) => ({
      id: r.id, round: r.round, team: r.team, service: r.service, score: r.score, points: r.points,
      error: r.error, reportedAt: r.reported_at,
    }),
  );
}
