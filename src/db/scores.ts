/**
 * The scoreboard, computed from round_scores only (one row per team, service and round;
 * never the check history). Uptime is up rounds / scored rounds. The SLA penalty is off
 * by default; with `sla: { after: N, penalty: P }`, every N consecutive down rounds of
 * a service (in the order of its scored rounds) cost the team P points: a run of 7 down
 * rounds with N = 3 is 2 violations.
 */
import type { Queryable } from './db.js';

/** SLA penalty settings. */
export interface SlaOptions {
  /** Consecutive down rounds that make one violation (>= 1). */
  readonly after: number;
  /** Points subtracted per violation. */
  readonly penalty: number;
}

/** Options of {@link scores}. */
export interface ScoresOptions {
  /** Apply SLA penalties; off when absent. */
  readonly sla?: SlaOptions;
  /** Only rounds up to this one (a scoreboard "as of" a round). */
  readonly throughRound?: number;
}

/** One service of one team on the scoreboard. */
export interface ServiceScore {
  readonly service: string;
  readonly score: number;
  readonly points: number;
  readonly rounds: number;
  readonly upRounds: number;
  /** upRounds / rounds, 0..1 (0 when never scored). */
  readonly uptime: number;
  readonly slaViolations: number;
  readonly slaPenalty: number;
}

/** One team on the scoreboard. */
export interface TeamScore {
  readonly team: number;
  /** Name from the competition file, or null when the team was never synced. */
  readonly name: string | null;
  /** Sum of round scores. */
  readonly score: number;
  /** Sum of possible points over the scored rounds. */
  readonly points: number;
  readonly slaPenalty: number;
  /** score - slaPenalty. */
  readonly total: number;
  readonly uptime: number;
  readonly services: ServiceScore[];
}

interface Row {
  team: number; name: string | null; service: string; score: number; points: number;
  rounds: number; up_rounds: number; violations: number;
}

/** Per-team totals and per-service uptime of a competition, teams by number. */
export async function scores(t: Queryable, competition: string, options: ScoresOptions = {}): Promise<TeamScore[]> {
  const after = options.sla ? Math.max(1, Math.floor(options.sla.after)) : null;
  const rows = await t.any<Row>(
    `WITH r AS (
       SELECT rs.team, rs.service, rs.round, rs.score, rs.points, rs.up,
              ROW_NUMBER() OVER (PARTITION BY rs.team, rs.service ORDER BY rs.round)
            - ROW_NUMBER() OVER (PARTITION BY rs.team, rs.service, rs.up ORDER BY rs.round) AS streak
       FROM round_scores rs JOIN competitions c ON c.id = rs.competition_id
       WHERE c.name = $1 AND ($2::int IS NULL OR rs.round <= $2)),
     downs AS (
       SELECT team, service, SUM(len / $3::int)::int AS violations
       FROM (SELECT team, service, COUNT(*)::int AS len FROM r WHERE NOT up AND $3::int IS NOT NULL
             GROUP BY team, service, streak) runs
       GROUP BY team, service)
     SELECT r.team, tm.name, r.service, SUM(r.score)::float8 AS score, SUM(r.points)::float8 AS points,
            COUNT(*)::int AS rounds, COUNT(*) FILTER (WHERE r.up)::int AS up_rounds,
            COALESCE(MAX(d.violations), 0)::int AS violations
     FROM r
     LEFT JOIN downs d ON d.team = r.team AND d.service = r.service
     LEFT JOIN teams tm ON tm.number = r.team
       AND tm.competition_id = (SELECT id FROM competitions WHERE name = $1)
     GROUP BY r.team, tm.name, r.service
     ORDER BY r.team, r.service`,
    [competition, options.throughRound ?? null, after],
  );
  const byTeam = new Map<number, { name: string | null; services: ServiceScore[] }>();
  for (const row of rows) {
    const penalty = options.sla ? row.violations * options.sla.penalty : 0;
    const entry = byTeam.get(row.team) ?? { name: row.name, services: [] };
    entry.services.push({
      service: row.service, score: row.score, points: row.points, rounds: row.rounds, upRounds: row.up_rounds,
      uptime: row.rounds === 0 ? 0 : row.up_rounds / row.rounds, slaViolations: row.violations, slaPenalty: penalty,
    });
    byTeam.set(row.team, entry);
  }
  return [...byTeam].map(([team, { name, services }]) => {
    const sum = (f: (s: ServiceScore) => number) => services.reduce((acc, s) => acc + f(s), 0);
    const rounds = sum((s) => s.rounds);
    const score = sum((s) => s.score);
    const slaPenalty = sum((s) => s.slaPenalty);
    return {
      team, name, score, points: sum((s) => s.points), slaPenalty, total: score - slaPenalty,
      uptime: rounds === 0 ? 0 : sum((s) => s.upRounds) / rounds, services,
    };
  });
}
