/**
 * Expands a competition into the services of each team: host templates filled in
 * (`10.{team}.1.10`, `{var}` from team variables), defaults applied.
 */
import { ConfigError } from './errors.js';
import type { Competition, Service, ServiceConfig, TeamConfig, TeamRef } from './types.js';

/** Default deadline of a check when neither the service nor the competition sets one. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** The team as checks see it. */
export function teamRef(team: TeamConfig): TeamRef {
  return { number: team.number, name: team.name ?? `Team${team.number}` };
}

/** Fills `{team}` and `{var}` placeholders of a host template for one team. */
export function expandHost(template: string, team: TeamConfig, where = 'host'): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => {
    if (name === 'team') return String(team.number);
    const value = team.vars?.[name];
    if (value === undefined) throw new ConfigError(`${where}: team ${team.number} has no variable '${name}' for '${template}'`);
    return value;
  });
}

/** The Service object one team's check receives (credentials are added later). */
export function expandService(config: ServiceConfig, team: TeamConfig, competition: Competition): Service {
  const ref = teamRef(team);
  return {
    id: `team-${team.number}/${config.name}`,
    name: config.name,
    type: config.type,
    team: ref,
    host: expandHost(config.host, team, `service '${config.name}' host`),
    port: config.port,
    points: config.points ?? 1,
    timeoutMs: config.timeoutMs ?? competition.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
    params: config.params ?? {},
    ...(config.credentials ? { credentialSource: config.credentials } : {}),
  };
}
