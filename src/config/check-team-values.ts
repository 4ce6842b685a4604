/**
 * The per-team values of one service, checked team by team: for each team, each of
 * `host`, `port`, `timeout` and the strings of `params` comes from the team's override
 * when it sets one, else from the service; every variable it uses must be in that
 * team's vars, and a port or timeout template must give a valid value for that team.
 *
 * A problem in a value written under `services` is reported there (a missing variable
 * once for all teams lacking it, a bad value per team, naming the team and the service);
 * a problem in a team's override is reported under `teams[i].overrides.<service>`.
 */
import { collectPlaceholders, templateVariables } from './host-template.js';
import { describeValue } from './describe-value.js';
import type { ServiceEntry, ServiceOverrideEntry, TeamEntry } from './schema.js';
import { portFor, teamLabel, templateTeam, templateValue, timeoutFor, TIMEOUT_RANGE } from './team-values.js';

/** What the check needs from the validator. */
export interface TeamValuesContext {
  /** The valid team entries, with their index under `teams`. */
  readonly teams: readonly { readonly index: number; readonly value: TeamEntry }[];
  /** `scan.interval` when that section is valid. */
  readonly interval: number | undefined;
  /** The team's valid override of the service, if any. */
  overrideOf(teamIndex: number, service: string): ServiceOverrideEntry | undefined;
  /** `teams` as a list of team numbers for a message ("team 1, team 3 and 4 more"). */
  teamList(numbers: readonly number[]): string;
  /** Formats a path. */
  format(path: readonly PropertyKey[]): string;
  /** Records a problem at an already formatted path. */
  addAt(path: string, expected: string, found: string): void;
}

const FIELDS = ['host', 'port', 'timeout'] as const;

/** Checks the values every team gets from services[index] (only call when every team entry is valid). */
export function checkTeamValues(ctx: TeamValuesContext, index: number, service: ServiceEntry): void {
  /** Variables missing from some team's vars, for values written under the service: path → variable → teams. */
  const missing = new Map<string, Map<string, number[]>>();
  const servicePath = (field: string) => ctx.format(['services', index, field]);
  for (const { index: teamIndex, value: entry } of ctx.teams) {
    const team = templateTeam(entry);
    const own = ctx.overrideOf(teamIndex, service.name);
    const ownPath = (field: string) => ctx.format(['teams', teamIndex, 'overrides', service.name, field]);
    const lacking = (variables: Iterable<string>) => [...variables].filter((v) => v !== 'team' && !Object.hasOwn(team.vars ?? {}, v));
    const reportMissing = (fromOwn: boolean, field: string, variables: readonly string[]) => {
      for (const variable of variables) {
        if (fromOwn) {
          ctx.addAt(ownPath(field), `{${variable}} to be set in this team's vars`, 'no value');
          continue;
        }
        const byVariable = missing.get(servicePath(field)) ?? new Map<string, number[]>();
        missing.set(servicePath(field), byVariable);
        byVariable.set(variable, [...(byVariable.get(variable) ?? []), team.number]);
      }
    };

    for (const field of FIELDS) {
      const fromOwn = own?.[field] !== undefined;
      const value = own?.[field] ?? service[field];
      if (typeof value !== 'string') {
        if (fromOwn && field === 'timeout' && value !== undefined) checkTimeout(ctx, ownPath(field), value, 'for this team');
        continue;
      }
      const parsed = templateVariables(value);
      if ('error' in parsed) {
        // A template under `services` was reported once by the validator.
        if (fromOwn) ctx.addAt(ownPath(field), `a ${field} template with {variable} placeholders`, `${describeValue(value)} (${parsed.error})`);
        continue;
      }
      const absent = lacking(parsed.variables);
      reportMissing(fromOwn, field, absent);
      if (absent.length > 0 || field === 'host') continue;
      const path = fromOwn ? ownPath(field) : `${ctx.format(['services', index])} (${service.name}).${field}`;
      const forTeam = fromOwn ? 'for this team' : `for ${teamLabel(team)}`;
      if (field === 'port') {
        if (portFor(value, team) === undefined) ctx.addAt(path, `a port 1..65535 ${forTeam}`, describeValue(templateValue(value, team)));
      } else {
        const seconds = timeoutFor(value, team);
        if (seconds === undefined) {
          ctx.addAt(path, `a number of seconds ${TIMEOUT_RANGE.min}..${TIMEOUT_RANGE.max} ${forTeam}`, describeValue(templateValue(value, team)));
        } else checkTimeout(ctx, path, seconds, forTeam);
      }
    }

    // Params: the service's keys the team does not replace, then the team's own.
    const ownParams = own?.params ?? {};
    const inherited = new Set<string>();
    for (const [key, value] of Object.entries(service.params)) if (!Object.hasOwn(ownParams, key)) collectPlaceholders(value, inherited);
    reportMissing(false, 'params', lacking(inherited));
    const added = new Set<string>();
    collectPlaceholders(ownParams, added);
    reportMissing(true, 'params', lacking(added));
  }
  for (const [path, byVariable] of missing) {
    for (const [variable, teams] of byVariable) ctx.addAt(path, `{${variable}} to be set in vars of every team`, `no value for ${ctx.teamList(teams)}`);
  }
}

/** A team's deadline is at most scan.interval. */
function checkTimeout(ctx: TeamValuesContext, path: string, seconds: number, forTeam: string): void {
  if (ctx.interval !== undefined && seconds > ctx.interval) ctx.addAt(path, `at most scan.interval (${ctx.interval}) ${forTeam}`, String(seconds));
}
