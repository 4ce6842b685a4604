/**
 * Per-team values of a service field: what a template (`"{port}"`, `"{timeout}"`) gives
 * for one team, and whether that is a valid port or timeout. Shared by the validator
 * (which reports a bad value naming the team) and buildCompetition (which resolves
 * timeout templates into each team's overrides).
 */
import { expandHost, expandPort } from '../competition.js';
import type { TeamConfig } from '../types.js';
import type { TeamEntry } from './schema.js';

/** Shortest and longest deadline of a check, seconds (as in the schema). */
export const TIMEOUT_RANGE = { min: 0.001, max: 3_600 } as const;

/** A team entry as templates see it: variables as text (YAML may give `port: 5432` as a number). */
export function templateTeam(entry: Pick<TeamEntry, 'number' | 'name' | 'vars'>): TeamConfig {
  return {
    number: entry.number,
    name: entry.name ?? `Team${entry.number}`,
    vars: Object.fromEntries(Object.entries(entry.vars ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

/** `team 3 (Blue)`: how errors name a team. */
export function teamLabel(team: Pick<TeamConfig, 'number' | 'name'>): string {
  return `team ${team.number} (${team.name ?? `Team${team.number}`})`;
}

/** What a template gives for `team` (a number stays as it is); the team has every variable used. */
export function templateValue(value: number | string, team: TeamConfig): number | string {
  return typeof value === 'number' ? value : expandHost(value, team);
}

/** The port `port` gives for `team`, or undefined when that is not 1..65535. */
export function portFor(port: number | string, team: TeamConfig): number | undefined {
  try {
    return expandPort(port, team, 'port');
  } catch {
    return undefined;
  }
}

/** The seconds `timeout` gives for `team`, or undefined when that is not a number 0.001..3600. */
export function timeoutFor(timeout: number | string, team: TeamConfig): number | undefined {
  const value = templateValue(timeout, team);
  const seconds = typeof value === 'number' ? value : /^[0-9]{1,4}(\.[0-9]{1,6})?$/.test(value) ? Number(value) : NaN;
  return seconds >= TIMEOUT_RANGE.min && seconds <= TIMEOUT_RANGE.max ? seconds : undefined;
}
