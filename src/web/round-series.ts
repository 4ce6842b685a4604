/**
 * GET /api/rounds: the scanner page's pictures over time. For the last rounds (at most
 * ROUND_SERIES_ROUNDS), each team's score in the round and the share of its services up,
 * plus its total to date before the first shown round (so the page can draw the running
 * total); and each service's up/down cell per round with the message. A team principal
 * gets its own team only (the caller passes the team).
 */
import type { ResultRow } from '../db/results.js';
import type { Competition } from '../types.js';
import type { ScannerStore } from './scanner-api.js';

/** Rounds the series covers at most. */
export const ROUND_SERIES_ROUNDS = 30;

/** One team in one round. */
export interface TeamRound {
  readonly score: number;
  readonly points: number;
  /** Services up / services checked in that round. */
  readonly up: number;
  readonly checks: number;
}

/** One service of one team in one round: a cell of the strip. */
export interface ServiceRound {
  readonly round: number;
  /** up, down, or running (not finished yet). */
  readonly state: 'up' | 'down' | 'running';
  readonly error: string | null;
}

/** The answer of GET /api/rounds. */
export interface RoundSeries {
  /** Round numbers, oldest first. */
  readonly rounds: readonly number[];
  readonly teams: readonly {
    readonly team: number;
    readonly name: string;
    /** Total score (after SLA penalties) before the first round shown. */
    readonly before: number;
    /** Parallel to `rounds`; null where the team has no result. */
    readonly perRound: readonly (TeamRound | null)[];
    /** Service name → its cells, oldest first. */
    readonly services: Readonly<Record<string, readonly ServiceRound[]>>;
  }[];
}

/** Builds the series of `competition` from the store, for every team or only `team`. */
export async function roundSeries(store: ScannerStore, competition: Competition, team?: number): Promise<RoundSeries> {
  const name = competition.name;
  const filter = team !== undefined ? { team } : {};
  const latest = (await store.results({ competition: name, ...filter }))[0]?.round;
  const teams = competition.teams.filter((t) => team === undefined || t.number === team);
  if (latest === undefined) return { rounds: [], teams: teams.map((t) => ({ team: t.number, name: t.name ?? `Team${t.number}`, before: 0, perRound: [], services: {} })) };
  const rounds = Array.from({ length: Math.min(ROUND_SERIES_ROUNDS, latest) }, (_, i) => latest - Math.min(ROUND_SERIES_ROUNDS, latest) + 1 + i);
  const [perRound, scores] = await Promise.all([Promise.all(rounds.map((round) => store.results({ competition: name, round, ...filter }))), store.scores(name)]);
  const totals = new Map(scores.map((s) => [s.team, s.total]));
  return {
    rounds,
    teams: teams.map((t) => {
      const services: Record<string, ServiceRound[]> = {};
      const cells = perRound.map((rows, i) => {
        const mine = rows.filter((r) => r.team === t.number);
        for (const r of mine) (services[r.service] ??= []).push({ round: rounds[i]!, state: cellState(r), error: r.error });
        if (mine.length === 0) return null;
        return {
          score: mine.reduce((n, r) => n + (r.score ?? 0), 0),
          points: mine.reduce((n, r) => n + r.points, 0),
          up: mine.filter((r) => cellState(r) === 'up').length,
          checks: mine.length,
        };
      });
      const shown = cells.reduce((n, c) => n + (c?.score ?? 0), 0);
      return { team: t.number, name: t.name ?? `Team${t.number}`, before: Math.max(0, (totals.get(t.number) ?? 0) - shown), perRound: cells, services };
    }),
  };
}

function cellState(r: ResultRow): ServiceRound['state'] {
  if (r.status === 'in_progress') return 'running';
  return (r.up ?? (r.status === 'finished' && r.error === null)) ? 'up' : 'down';
}
