/**
 * Expands a competition into the services of each team: the team's overrides applied
 * (`TeamConfig.overrides`), templates filled in (`host` `10.{team}.1.10`, `port`
 * `"{port}"`, strings in `params`; `{var}` from team variables), defaults applied.
 * Points are the same for every team.
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

/** The `{name}` placeholders of templates: `{team}` or a team variable. */
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/;

/**
 * A service's params for one team: team variables filled in every string, however deep.
 * Params without placeholders stay the same object, so every team shares it (a check
 * thread then parses it once: threads/params-ids.ts).
 */
export function expandParams<T>(value: T, team: TeamConfig, where: string): T {
  if (typeof value === 'string') return (PLACEHOLDER.test(value) ? expandHost(value, team, where) : value) as T;
  if (Array.isArray(value)) {
    const items = value.map((item: unknown, i) => expandParams(item, team, `${where}[${i}]`));
    return (items.some((item, i) => item !== value[i]) ? items : value) as T;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([key, item]) => [key, expandParams(item, team, `${where}.${key}`)] as const);
    return (entries.some(([key, item]) => item !== (value as Record<string, unknown>)[key]) ? Object.fromEntries(entries) : value) as T;
  }
  return value;
}

/** A service's port for one team: a number, or a template that must give 1..65535 for that team. */
export function expandPort(port: number | string | undefined, team: TeamConfig, where: string): number | undefined {
  if (typeof port !== 'string') return port;
  const text = expandHost(port, team, where);
  const value = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(value >= 1 && value <= 65_535)) throw new ConfigError(`${where}: '${port}' gives '${text}' for team ${team.number}, not a port 1..65535`);
  return value;
}

/**
 * Each team's params of each service definition, kept: the same team and definition get
 * the same params object every scan, so a check parses them once (checks/support/params.ts),
 * in a check thread too (threads/params-ids.ts), even when templates or a team's
 * override made them the team's own.
 */
const paramsByTeam = new WeakMap<ServiceConfig, WeakMap<TeamConfig, Readonly<Record<string, unknown>>>>();

/** The params one team's check of `config` gets: the team's override merged key by key, templates filled. */
function teamParams(config: ServiceConfig, team: TeamConfig): Readonly<Record<string, unknown>> {
  let byTeam = paramsByTeam.get(config);
  const kept = byTeam?.get(team);
  if (kept) return kept;
  const own = team.overrides?.[config.name]?.params;
  const merged = own ? { ...config.params, ...own } : (config.params ?? {});
  const params = expandParams(merged, team, `service '${config.name}' params`);
  if (!byTeam) paramsByTeam.set(config, (byTeam = new WeakMap()));
  byTeam.set(team, params);
  return params;
}

/** The deadline of `config`'s check for `team`, ms: the team's override, the service's, the competition's, or the default. */
export function serviceTimeoutMs(config: ServiceConfig, team: TeamConfig, competition: Competition): number {
  return team.overrides?.[config.name]?.timeoutMs ?? config.timeoutMs ?? competition.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
}

/**
 * The Service object one team's check receives (credentials are added later): the
 * team's overrides of the service's fields applied, then its templates filled.
 */
export function expandService(config: ServiceConfig, team: TeamConfig, competition: Competition): Service {
  const ref = teamRef(team);
  const own = team.overrides?.[config.name];
  const port = own?.port ?? config.port;
  return {
    id: `team-${team.number}/${config.name}`,
    name: config.name,
    type: config.type,
    team: ref,
    host: expandHost(own?.host ?? config.host, team, `service '${config.name}' host`),
    port: expandPort(port, team, `service '${config.name}' port`),
    points: config.points ?? 1,
    timeoutMs: serviceTimeoutMs(config, team, competition),
    params: teamParams(config, team),
    ...(config.credentials ? { credentialSource: config.credentials } : {}),
    ...(config.zone !== undefined ? { zone: expandHost(config.zone, team, `service '${config.name}' zone`) } : {}),
  };
}
