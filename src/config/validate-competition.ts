/**
 * Validates competition-file data: structure with the zod schema, then what needs the
 * whole file or the registry: unique teams and services, known check types, params
 * against each type's schema, host variables, pools, Team Specific Info, tokens, scan
 * timing. Every problem is collected, so one run reports them all.
 */
import type { z } from 'zod';
import type { ServiceRegistry } from '../registry.js';
import type { ConfigIssue } from './config-issue.js';
import type { TeamValuesContext } from './check-team-values.js';
import { formatPath } from './config-issue.js';
import { didYouMean } from './closest-names.js';
import { describeValue, kindOf } from './describe-value.js';
import { checkTeamValues } from './check-team-values.js';
import { templateVariables } from './host-template.js';
import type { CompetitionFile, ServiceEntry, ServiceOverrideEntry, TeamEntry } from './schema.js';
import {
  competitionFileSchema,
  explicitCredentialsSchema,
  EXTERNAL_TYPE,
  poolCredentialsSchema,
  serviceOverrideSchema,
  serviceSchema,
  teamInfoCredentialsSchema,
  teamSchema,
} from './schema.js';
import type { SecretParamsByService } from './secrets.js';
import { secretPathTest } from './secrets.js';
import type { SecretPathTest } from './zod-issues.js';
import { issuesFromZod, valueAt } from './zod-issues.js';

/** The part of a ServiceRegistry the loader uses. */
export type TypeLookup = Pick<ServiceRegistry, 'has' | 'get' | 'list'>;

/** The outcome of validation: the typed file when there is no issue. */
export type ValidationResult =
  | { readonly ok: true; readonly file: CompetitionFile; readonly secretParams: SecretParamsByService }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[]; readonly secretParams: SecretParamsByService };

/** Most team numbers named in one line. */
const MAX_TEAMS_LISTED = 10;

/** Validates `root` (the parsed YAML) against the schema and the registry. */
export function validateCompetition(root: unknown, registry: TypeLookup): ValidationResult {
  const secretParams = secretParamsOf(root, registry);
  if (root === null || root === undefined || typeof root !== 'object' || Array.isArray(root)) {
    const found = root === null || root === undefined ? 'an empty document' : kindOf(root);
    return { ok: false, issues: [{ path: '(root)', expected: 'a mapping with name, teams and services', found }], secretParams };
  }
  const isSecret = secretPathTest(secretParams);
  const issues: ConfigIssue[] = [];
  const parsed = competitionFileSchema.safeParse(root);
  if (!parsed.success) {
    issues.push(
      ...issuesFromZod(parsed.error, { root, schema: competitionFileSchema, isSecret, pickBranch: pickCredentialsBranch }),
    );
  }
  const check = new SemanticCheck(root, registry, isSecret, issues);
  check.run();
  if (issues.length > 0 || !parsed.success) return { ok: false, issues: issues.map((issue) => withTeamName(root, issue)), secretParams };
  return { ok: true, file: parsed.data, secretParams };
}

/**
 * `teams[2] (Team3).overrides.web.port`: a problem in a team's overrides names the team
 * (its name, or Team<number>), so it is found without counting entries.
 */
function withTeamName(root: object, issue: ConfigIssue): ConfigIssue {
  const match = /^teams\[(\d+)\](?=\.overrides)/.exec(issue.path);
  if (!match) return issue;
  const team = valueAt(root, ['teams', Number(match[1])]);
  const name = valueAt(team, ['name']);
  const number = valueAt(team, ['number']);
  const label = typeof name === 'string' && /^[^\p{Cc}\p{Cf}]{1,64}$/u.test(name) ? name : Number.isInteger(number) ? `Team${String(number)}` : undefined;
  return label === undefined ? issue : { ...issue, path: `${match[0]} (${label})${issue.path.slice(match[0].length)}` };
}

/** The secret params of the type each service names (none for unknown types); a service by index or by name. */
function secretParamsOf(root: unknown, registry: TypeLookup): (service: number | string) => readonly string[] {
  return (service) => {
    const services = valueAt(root, ['services']);
    const index = typeof service === 'number' ? service : Array.isArray(services) ? services.findIndex((s) => valueAt(s, ['name']) === service) : -1;
    const type = valueAt(root, ['services', index, 'type']);
    if (typeof type !== 'string' || !registry.has(type)) return [];
    return registry.get(type).secretParams;
  };
}

/** Credentials are told apart by their keys; report the issues of the form meant. */
function pickCredentialsBranch(path: readonly PropertyKey[], value: unknown): z.ZodType | undefined {
  if (path.at(-1) !== 'credentials' || value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  if ('pool' in value) return poolCredentialsSchema;
  if ('passwordKey' in value || 'usernameKey' in value) return teamInfoCredentialsSchema;
  return explicitCredentialsSchema;
}

/** The entries of an array section that pass their own schema (after `pick`), with their index. */
function validItems<T>(root: object, key: string, schema: z.ZodType<T>, pick: (item: unknown) => unknown = (item) => item): { index: number; value: T }[] {
  const list = valueAt(root, [key]);
  if (!Array.isArray(list)) return [];
  const out: { index: number; value: T }[] = [];
  list.forEach((item, index) => {
    const parsed = schema.safeParse(pick(item));
    if (parsed.success) out.push({ index, value: parsed.data });
  });
  return out;
}

/** A section parsed on its own, or undefined when it has problems (already reported). */
function validSection<K extends keyof CompetitionFile>(root: object, key: K): CompetitionFile[K] | undefined {
  const schema = competitionFileSchema.shape[key] as unknown as z.ZodType<CompetitionFile[K]>;
  const parsed = schema.safeParse(valueAt(root, [key]));
  return parsed.success ? parsed.data : undefined;
}

/** A mapping without `key` (anything else as it is). */
function withoutKey(item: unknown, key: string): unknown {
  if (item === null || typeof item !== 'object' || Array.isArray(item) || !Object.hasOwn(item, key)) return item;
  const { [key]: _left, ...rest } = item as Record<string, unknown>;
  return rest;
}

function teamList(numbers: readonly number[]): string {
  const shown = numbers.slice(0, MAX_TEAMS_LISTED).map((n) => `team ${n}`);
  const more = numbers.length - shown.length;
  return `${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

class SemanticCheck {
  private readonly teams: { index: number; value: TeamEntry }[];
  /** Whether every team entry is valid (checks "for every team" only then). */
  private readonly teamsComplete: boolean;
  private readonly services: { index: number; value: ServiceEntry }[];
  private readonly scan;
  private readonly teamInfo;
  private readonly pools;
  private readonly tokens;

  /** Each team's valid overrides: team index → service name → fields. */
  private readonly overrides = new Map<number, Map<string, ServiceOverrideEntry>>();

  constructor(
    private readonly root: object,
    private readonly registry: TypeLookup,
    private readonly isSecret: SecretPathTest,
    private readonly issues: ConfigIssue[],
  ) {
    // A team with a bad override still counts as a team: its overrides are checked apart.
    this.teams = validItems(root, 'teams', teamSchema.omit({ overrides: true }), (item) => withoutKey(item, 'overrides'));
    for (const { index } of this.teams) {
      const raw = valueAt(root, ['teams', index, 'overrides']);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const valid = new Map<string, ServiceOverrideEntry>();
      for (const [service, fields] of Object.entries(raw)) {
        const parsed = serviceOverrideSchema.safeParse(fields);
        if (parsed.success) valid.set(service, parsed.data);
      }
      this.overrides.set(index, valid);
    }
    const rawTeams = valueAt(root, ['teams']);
    this.teamsComplete = Array.isArray(rawTeams) && rawTeams.length > 0 && rawTeams.length === this.teams.length;
    this.services = validItems(root, 'services', serviceSchema);
    this.scan = validSection(root, 'scan');
    this.teamInfo = validSection(root, 'teamInfo');
    this.pools = validSection(root, 'pools');
    this.tokens = validSection(root, 'tokens');
  }

  run(): void {
    this.checkPlugins();
    this.checkTeams();
    this.checkTeamKeys();
    this.checkServices();
    this.checkOverrides();
    this.checkPools();
    this.checkTokens();
    this.checkScan();
  }

  private add(path: readonly PropertyKey[], expected: string, found: string): void {
    this.issues.push({ path: formatPath(path, this.isSecret), expected, found });
  }

  private get teamNumbers(): number[] {
    return [...new Set(this.teams.map((t) => t.value.number))];
  }

  private checkPlugins(): void {
    const plugins = validSection(this.root, 'plugins');
    const seen = new Set<string>();
    plugins?.forEach((plugin, i) => {
      if (seen.has(plugin)) this.add(['plugins', i], 'each plugin listed once', `${describeValue(plugin)} again`);
      seen.add(plugin);
    });
  }

  /** The raw entries of a list section (duplicates are found even in entries with other problems). */
  private rawItems(key: 'teams' | 'services'): Record<string, unknown>[] {
    const list = valueAt(this.root, [key]);
    if (!Array.isArray(list)) return [];
    return list.map((item: unknown) => (item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : {}));
  }

  private checkTeams(): void {
    const numbers = new Map<number, number>();
    const names = new Map<string, number>();
    this.rawItems('teams').forEach((team, index) => {
      const number = Number.isInteger(team.number) ? (team.number as number) : undefined;
      const first = number === undefined ? undefined : numbers.get(number);
      if (number !== undefined && first !== undefined) {
        this.add(['teams', index, 'number'], 'a unique team number', `${number} (also ${formatPath(['teams', first])})`);
        return;
      }
      if (number !== undefined) numbers.set(number, index);
      const name = typeof team.name === 'string' ? team.name : number !== undefined ? `Team${number}` : undefined;
      if (name === undefined) return;
      const firstName = names.get(name.toLowerCase());
      if (firstName !== undefined) {
        this.add(['teams', index, 'name'], 'a unique team name', `${describeValue(name)} (also ${formatPath(['teams', firstName])})`);
      } else names.set(name.toLowerCase(), index);
    });
  }

  /** teamInfo, pools and tokens may only name configured teams. */
  private checkTeamKeys(): void {
    if (!this.teamsComplete) return;
    const known = new Set(this.teamNumbers.map(String));
    const expected = `one of the team numbers ${this.teamNumbers.slice(0, MAX_TEAMS_LISTED).join(', ')}${this.teamNumbers.length > MAX_TEAMS_LISTED ? ', …' : ''}`;
    const checkKeys = (record: Record<string, unknown> | undefined, path: PropertyKey[]) => {
      for (const key of Object.keys(record ?? {})) {
        if (!known.has(key)) this.add([...path, key], expected, `team ${key}, which is not under teams`);
      }
    };
    checkKeys(this.teamInfo, ['teamInfo']);
    for (const [pool, byTeam] of Object.entries(this.pools ?? {})) checkKeys(byTeam, ['pools', pool]);
    checkKeys(this.tokens?.teams, ['tokens', 'teams']);
  }

  private checkServices(): void {
    const names = new Map<string, number>();
    this.rawItems('services').forEach(({ name }, index) => {
      if (typeof name !== 'string') return;
      const first = names.get(name);
      if (first !== undefined) {
        this.add(['services', index, 'name'], 'a unique service name', `${describeValue(name)} (also ${formatPath(['services', first])})`);
      } else names.set(name, index);
    });
    for (const { index, value } of this.services) {
      const at = (...rest: PropertyKey[]) => ['services', index, ...rest];
      this.checkType(index, value);
      this.checkTemplateSyntax(index, value);
      if (this.teamsComplete) checkTeamValues(this.teamValues, index, value);
      this.checkCredentials(index, value);
      const interval = this.scan?.interval;
      if (typeof value.timeout === 'number' && interval !== undefined && value.timeout > interval) {
        this.add(at('timeout'), `at most scan.interval (${interval})`, String(value.timeout));
      }
    }
  }

  /** What checkTeamValues needs: the teams, their overrides, and where problems go. */
  private get teamValues(): TeamValuesContext {
    return {
      teams: this.teams,
      interval: this.scan?.interval,
      overrideOf: (team, service) => this.overrides.get(team)?.get(service),
      teamList,
      format: (path) => formatPath(path, this.isSecret),
      addAt: (path, expected, found) => this.issues.push({ path, expected, found }),
    };
  }

  /**
   * Overrides name configured services, and each team's params (the service's with its
   * own merged over them) pass the type's schema. Fields and values are checked with the
   * service's (checkTeamValues).
   */
  private checkOverrides(): void {
    const names = this.rawItems('services').map((s) => s.name).filter((n): n is string => typeof n === 'string');
    for (const { index } of this.teams) {
      const raw = valueAt(this.root, ['teams', index, 'overrides']);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
      for (const name of Object.keys(raw)) {
        const path = ['teams', index, 'overrides', name];
        if (!names.includes(name)) {
          const listed = `${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
          this.add(path, `one of the services ${listed}${didYouMean(name, names)}`, `${describeValue(name)}, which is not under services`);
          continue;
        }
        const own = this.overrides.get(index)?.get(name);
        const service = this.services.find((s) => s.value.name === name);
        if (own?.params && service) this.checkOverrideParams(path, service.value, own.params);
      }
    }
  }

  /** The team's params for `service` against its type's schema; problems the service's own params have are reported once, there. */
  private checkOverrideParams(path: PropertyKey[], service: ServiceEntry, own: Readonly<Record<string, unknown>>): void {
    if (service.type === EXTERNAL_TYPE || !this.registry.has(service.type)) return;
    const schema = this.registry.get(service.type).paramsSchema;
    if (!schema) return;
    const merged = { ...service.params, ...own };
    const prefix = [...path, 'params'];
    // Found values are looked up in the team's merged params, at the override's path.
    const root = prefix.reduceRight<unknown>((inner, key) => ({ [key]: inner }), merged);
    try {
      const parsed = schema.safeParse(merged);
      if (parsed.success) return;
      const serviceFails = !schema.safeParse(service.params).success;
      const issues = parsed.error.issues.filter((issue) => !serviceFails || (issue.path.length > 0 && Object.hasOwn(own, issue.path[0]!)));
      if (issues.length === 0) return;
      this.issues.push(...issuesFromZod({ issues }, { root, prefix, schema, isSecret: this.isSecret }));
    } catch {
      this.add(prefix, `params that check type '${service.type}' can validate`, 'params that made its schema fail');
    }
  }

  private checkType(index: number, service: ServiceEntry): void {
    const path = ['services', index, 'type'];
    if (service.type === EXTERNAL_TYPE) return;
    if (!this.registry.has(service.type)) {
      const names = [...this.registry.list().map((t) => t.shortName), EXTERNAL_TYPE];
      const hint = didYouMean(service.type, names);
      const expected = hint
        ? `a registered check type${hint}`
        : `one of the registered check types ${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''}`;
      this.add(path, expected, describeValue(service.type));
      return;
    }
    const type = this.registry.get(service.type);
    if (!type.paramsSchema) return;
    const prefix = ['services', index, 'params'];
    try {
      const parsed = type.paramsSchema.safeParse(service.params);
      if (!parsed.success) {
        this.issues.push(...issuesFromZod(parsed.error, { root: this.root, prefix, schema: type.paramsSchema, isSecret: this.isSecret }));
      }
    } catch {
      this.add(prefix, `params that check type '${service.type}' can validate`, 'params that made its schema fail');
    }
  }

  /** Braces of the service's host, port and timeout templates pair up around names (their values per team: checkTeamValues). */
  private checkTemplateSyntax(index: number, service: ServiceEntry): void {
    for (const field of ['host', 'port', 'timeout'] as const) {
      const value = service[field];
      if (typeof value !== 'string') continue;
      const parsed = templateVariables(value);
      if ('error' in parsed) this.add(['services', index, field], `a ${field} template with {variable} placeholders`, `${describeValue(value)} (${parsed.error})`);
    }
    if (service.zone !== undefined) this.checkZone(index, service.zone);
  }

  /** A zone template (scale-out) pairs its braces, and every team sets the variables it uses. */
  private checkZone(index: number, zone: string): void {
    const path = ['services', index, 'zone'];
    const parsed = templateVariables(zone);
    if ('error' in parsed) {
      this.add(path, 'a zone template with {variable} placeholders', `${describeValue(zone)} (${parsed.error})`);
      return;
    }
    if (!this.teamsComplete) return;
    for (const name of parsed.variables) {
      if (name === 'team') continue;
      const missing = this.teams.filter((t) => !Object.hasOwn(t.value.vars ?? {}, name)).map((t) => t.value.number);
      if (missing.length > 0) this.add(path, `{${name}} to be set in vars of every team`, `no value for ${teamList(missing)}`);
    }
  }

  private checkCredentials(index: number, service: ServiceEntry): void {
    const credentials = service.credentials;
    if (!credentials) return;
    const path = ['services', index, 'credentials'];
    if ('pool' in credentials) {
      if (!this.pools) return;
      const pools = Object.keys(this.pools);
      if (!Object.hasOwn(this.pools, credentials.pool)) {
        const hint = didYouMean(credentials.pool, pools);
        const expected = pools.length === 0 ? 'a pool defined under pools (there are none)' : `one of the pools ${pools.join(', ')}${hint}`;
        this.add([...path, 'pool'], expected, describeValue(credentials.pool));
      }
      return;
    }
    // teamInfo is undefined only when that section has problems of its own.
    if (!('passwordKey' in credentials) || !this.teamsComplete || !this.teamInfo) return;
    for (const key of ['usernameKey', 'passwordKey'] as const) {
      const infoKey = credentials[key];
      if (infoKey === undefined) continue;
      const missing = this.teamNumbers.filter((n) => {
        const info = this.teamInfo && Object.hasOwn(this.teamInfo, String(n)) ? this.teamInfo[String(n)] : undefined;
        return !info || !Object.hasOwn(info, infoKey);
      });
      if (missing.length > 0) {
        this.add([...path, key], `teamInfo.<team>.${infoKey} for every team`, `no value for ${teamList(missing)}`);
      }
    }
  }

  private checkPools(): void {
    if (!this.pools || !this.teamsComplete) return;
    for (const [pool, byTeam] of Object.entries(this.pools)) {
      const missing = this.teamNumbers.filter((n) => !Object.hasOwn(byTeam, String(n)));
      if (missing.length > 0) this.add(['pools', pool], 'entries for every team', `none for ${teamList(missing)}`);
    }
  }

  private checkTokens(): void {
    if (!this.tokens) return;
    const seen = new Map<string, PropertyKey[]>();
    if (this.tokens.admin !== undefined) seen.set(this.tokens.admin, ['tokens', 'admin']);
    for (const [team, token] of Object.entries(this.tokens.teams)) {
      const first = seen.get(token);
      if (first) this.add(['tokens', 'teams', team], `a token different from ${formatPath(first)}`, 'the same value');
      else seen.set(token, ['tokens', 'teams', team]);
    }
  }

  private checkScan(): void {
    if (!this.scan) return;
    const { interval, jitter, timeout } = this.scan;
    if (jitter >= interval) this.add(['scan', 'jitter'], `less than scan.interval (${interval})`, String(jitter));
    if (timeout > interval) this.add(['scan', 'timeout'], `at most scan.interval (${interval})`, String(timeout));
  }
}
