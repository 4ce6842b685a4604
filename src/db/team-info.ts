/**
 * Team Specific Info with its history. A value applies from its `effective_round` on;
 * the value in force for round R is the latest one (by effective round, then by when it
 * was set) with effective_round <= R. Values are secrets (passwords): never log them.
 */
import { StoreError } from '../errors.js';
import type { Queryable } from './db.js';
import { ensureCompetition } from './ensure-competition.js';

/** Team number → key → value. */
export type TeamInfoMap = Record<number, Record<string, string>>;

/** Team Specific Info in force for `round` of `competition` (empty when unknown). */
export async function teamInfoForRound(t: Queryable, competition: string, round: number): Promise<TeamInfoMap> {
  const rows = await t.any<{ team: number; key: string; value: string }>(
    `SELECT DISTINCT ON (ti.team, ti.key) ti.team, ti.key, ti.value
     FROM team_info ti JOIN competitions c ON c.id = ti.competition_id
     WHERE c.name = $1 AND ti.effective_round <= $2
     ORDER BY ti.team, ti.key, ti.effective_round DESC, ti.id DESC`,
    [competition, round],
  );
  const out: TeamInfoMap = {};
  for (const r of rows) (out[r.team] ??= {})[r.key] = r.value;
  return out;
}

/** A change of one Team Specific Info value (a blue team's password change). */
export interface TeamInfoChange {
  readonly competition: string;
  readonly team: number;
  readonly key: string;
  readonly value: string;
  /** First round the value applies to. Default: the round after the latest scan. */
  readonly effectiveRound?: number;
}

/** Records a new value (history kept) and returns the round it applies from. */
export async function setTeamInfo(t: Queryable, change: TeamInfoChange): Promise<{ effectiveRound: number }> {
  if (change.effectiveRound !== undefined && (!Number.isInteger(change.effectiveRound) || change.effectiveRound < 0)) {
    throw new StoreError(`setTeamInfo: effective round ${change.effectiveRound} for team ${change.team} key '${change.key}' is not a round number`);
  }
  const competitionId = await ensureCompetition(t, change.competition);
  const row = await t.one<{ effective_round: number }>(
    `INSERT INTO team_info (competition_id, team, key, value, effective_round)
     SELECT $1, $2, $3, $4, COALESCE($5::int, (SELECT COALESCE(MAX(round), 0) + 1 FROM scans WHERE competition_id = $1))
     RETURNING effective_round`,
    [competitionId, change.team, change.key, change.value, change.effectiveRound ?? null],
  );
  return { effectiveRound: row.effective_round };
}

/** One stored value of the history (the value itself is left out: it is a secret). */
export interface TeamInfoHistoryRow {
  readonly team: number;
  readonly key: string;
  readonly effectiveRound: number;
  readonly changedAt: Date;
}

/** When each key of each team changed, oldest first, without the values. */
export async function teamInfoHistory(t: Queryable, competition: string, team?: number): Promise<TeamInfoHistoryRow[]> {
  return t.map(
    `SELECT ti.team, ti.key, ti.effective_round, ti.changed_at
     FROM team_info ti JOIN competitions c ON c.id = ti.competition_id
     WHERE c.name = $1 AND ($2::int IS NULL OR ti.team = $2)
     ORDER BY ti.team, ti.key, ti.effective_round, ti.id`,
    [competition, team ?? null],
    (r: { team: number; key: string; effective_round: number; changed_at: Date }) => ({
      team: r.team, key: r.key, effectiveRound: r.effective_round, changedAt: r.changed_at,
    }),
  );
}
