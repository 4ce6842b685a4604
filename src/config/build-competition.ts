/**
 * A validated competition file to the engine's types: seconds become milliseconds,
 * credential forms become tagged CredentialSources, team-number keys become numbers,
 * a team's `overrides` and the value of each timeout template for it become the team's
 * `TeamConfig.overrides`.
 */
import type { Competition, CredentialSource, Credentials, ServiceConfig, ServiceOverride, TeamConfig } from '../types.js';
import type { ScanSettings } from './scan-settings.js';
import type { CompetitionFile, ServiceEntry, TeamEntry } from './schema.js';
import { templateTeam, timeoutFor } from './team-values.js';
import type { Tokens } from './tokens.js';

/** What the engine gets from one competition file. */
export interface CompetitionParts {
  readonly competition: Competition;
  readonly settings: ScanSettings;
  readonly plugins: string[];
  readonly tokens: Tokens;
  readonly web: WebSettings;
}

/** The `web` section, paths as written (relative to the file's folder). */
export interface WebSettings {
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly allowedHosts: readonly string[];
}

/** Builds the engine's view of a validated file; `secretParams(i)` of services[i]'s type. */
export function buildCompetition(file: CompetitionFile, secretParams: (index: number) => readonly string[]): CompetitionParts {
  const ms = (seconds: number) => Math.round(seconds * 1000);
  const teams: TeamConfig[] = file.teams.map((entry) => {
    const team = templateTeam(entry);
    const overrides = teamOverrides(entry, team, file.services, ms);
    return Object.keys(overrides).length > 0 ? { ...team, overrides } : team;
  });
  const services: ServiceConfig[] = file.services.map((service, index) => ({
    name: service.name,
    type: service.type,
    host: service.host,
    ...(service.port !== undefined ? { port: service.port } : {}),
    points: service.points,
    // A timeout template is resolved for each team, into its overrides.
    ...(typeof service.timeout === 'number' ? { timeoutMs: ms(service.timeout) } : {}),
    params: service.params,
    ...(service.credentials ? { credentials: credentialSource(service.credentials) } : {}),
    secretParams: [...secretParams(index)],
    ...(service.zone !== undefined ? { zone: service.zone } : {}),
  }));
  const competition: Competition = {
    name: file.name,
    teams,
    services,
    teamInfo: byTeamNumber(file.teamInfo, (info) => ({ ...info })),
    pools: Object.fromEntries(
      Object.entries(file.pools).map(([pool, byTeam]) => [
        pool,
        byTeamNumber(byTeam, (entries): Credentials[] => entries.map(({ username, password }) => ({ username, password }))),
      ]),
    ),
    defaultTimeoutMs: ms(file.scan.timeout),
  };
  return {
    competition,
    settings: {
      intervalMs: ms(file.scan.interval),
      jitterMs: ms(file.scan.jitter),
      timeoutMs: ms(file.scan.timeout),
      concurrency: file.scan.concurrency,
      threads: file.scan.threads,
      distributed: file.scan.distributed,
    },
    plugins: [...file.plugins],
    tokens: { admin: file.tokens.admin, teams: byTeamNumber(file.tokens.teams, (token) => token) },
    web: {
      ...(file.web.tlsCert !== undefined ? { tlsCert: file.web.tlsCert } : {}),
      ...(file.web.tlsKey !== undefined ? { tlsKey: file.web.tlsKey } : {}),
      allowedHosts: file.web.allowedHosts,
    },
  };
}

/**
 * A team's own values of each service: its `overrides` entries (timeout in milliseconds)
 * and the value of every timeout template for this team. Validated before, so every
 * template gives a valid value.
 */
function teamOverrides(entry: TeamEntry, team: TeamConfig, services: readonly ServiceEntry[], ms: (seconds: number) => number): Record<string, ServiceOverride> {
  const out: Record<string, ServiceOverride> = {};
  for (const service of services) {
    const own = entry.overrides?.[service.name];
    const timeout = own?.timeout ?? service.timeout;
    const seconds = typeof timeout === 'string' || own?.timeout !== undefined ? timeoutFor(timeout!, team) : undefined;
    const override: ServiceOverride = {
      ...(own?.host !== undefined ? { host: own.host } : {}),
      ...(own?.port !== undefined ? { port: own.port } : {}),
      ...(seconds !== undefined ? { timeoutMs: ms(seconds) } : {}),
      ...(own?.params !== undefined ? { params: own.params } : {}),
    };
    if (Object.keys(override).length > 0) out[service.name] = override;
  }
  return out;
}

function credentialSource(credentials: NonNullable<ServiceEntry['credentials']>): CredentialSource {
  if ('pool' in credentials) return { from: 'pool', pool: credentials.pool };
  if ('passwordKey' in credentials) {
    return {
      from: 'teamInfo',
      passwordKey: credentials.passwordKey,
      ...(credentials.username !== undefined ? { username: credentials.username } : {}),
      ...(credentials.usernameKey !== undefined ? { usernameKey: credentials.usernameKey } : {}),
    };
  }
  return { from: 'explicit', username: credentials.username, password: credentials.password };
}

function byTeamNumber<T, U>(record: Readonly<Record<string, T>>, map: (value: T) => U): Record<number, U> {
  return Object.fromEntries(Object.entries(record).map(([team, value]) => [Number(team), map(value)]));
}
