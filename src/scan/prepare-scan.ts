/**
 * The scan's plan: opens the round (its number, Team Specific Info as of this round) and
 * groups every team's services into what each team actor will run. Nothing is checked
 * here, and an unknown type fails the scan before anything is recorded.
 */
import { expandService } from '../competition.js';
import type { CredentialData } from '../credentials.js';
import { checkLogSink } from '../logger.js';
import type { CheckGroup } from '../team-database/check-group.js';
import type { Competition, ScanRecord } from '../types.js';
import { progressIntervalMs } from './progress-interval.js';
import type { ScanDeps, TeamDeps } from './scan-deps.js';

/** One team actor to spawn. */
export interface TeamPlan {
  /** `team-7`, or `mass` for the owner of the scan's mass checks. */
  readonly ownerId: string;
  readonly groups: readonly CheckGroup[];
}

/** What a scan's preparation produces. */
export interface ScanPlan {
  readonly scan: ScanRecord;
  readonly teams: readonly TeamPlan[];
  readonly teamDeps: TeamDeps;
  /** Checks in the round, all teams. */
  readonly checks: number;
}

/** Opens the round and builds the team plans (no check is started here). */
export async function prepareScan(competition: Competition, deps: ScanDeps): Promise<ScanPlan> {
  await deps.ready();
  const { registry, store } = deps;
  // Resolve every type first: an unknown type fails the scan before anything is recorded.
  const types = new Map(competition.services.map((s, i) => [s.name, registry.get(s.type, `services[${i}] '${s.name}'`)]));
  await store.syncCompetition(competition);
  const scan = await store.beginScan(competition.name, deps.now());
  const overrides = await store.teamInfo(competition.name, scan.round);
  const teamInfo: Record<number, Record<string, string>> = {};
  for (const team of competition.teams) {
    teamInfo[team.number] = { ...(competition.teamInfo?.[team.number] ?? {}), ...(overrides[team.number] ?? {}) };
  }
  const credentials: CredentialData = { teamInfo, pools: competition.pools ?? {} };
  const teams: TeamPlan[] = competition.teams.map((team) => ({
    ownerId: `team-${team.number}`,
    groups: competition.services
      .filter((s) => types.get(s.name)!.kind !== 'mass')
      .map((s) => {
        const service = expandService(s, team, competition);
        return { actorId: service.id, type: types.get(s.name)!, services: [service] };
      }),
  }));
  const massGroups: CheckGroup[] = competition.services
    .filter((s) => types.get(s.name)!.kind === 'mass')
    .map((s) => ({ actorId: `mass/${s.name}`, type: types.get(s.name)!, services: competition.teams.map((t) => expandService(s, t, competition)) }));
  if (massGroups.length > 0) teams.push({ ownerId: 'mass', groups: massGroups });
  const secretParams = (typeName: string) => registry.has(typeName) ? registry.get(typeName).secretParams : [];
  const configSecrets = new Map(competition.services.map((s) => [s.name, s.secretParams ?? []]));
  const teamDeps: TeamDeps = {
    store,
    registry,
    limiter: deps.limiter,
    logSink: checkLogSink(deps.logger, scan.id, (service) => [...secretParams(service.type), ...(configSecrets.get(service.name) ?? [])]),
    credentials,
    random: deps.random,
    now: deps.now,
    notify: deps.notify,
    ...(deps.listening ? { listening: deps.listening } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
    ...(deps.threads ? { threads: deps.threads } : {}),
    ...(deps.postCheckGraceMs !== undefined ? { postCheckGraceMs: deps.postCheckGraceMs } : {}),
    // Every team's first checks start in the first wave, hung ones too.
    fairShare: Math.max(1, Math.floor(deps.limiter.max / teams.length)),
    progressMs: progressIntervalMs(teams.length),
    roundEndsAt: scan.startedAt + (deps.roundMs ?? 2 * longestTimeout(teams)),
  };
  const checks = teams.reduce((n, t) => n + t.groups.reduce((m, g) => m + g.services.length, 0), 0);
  return { scan, teams, teamDeps, checks };
}

/** The longest check timeout of the round, ms. */
function longestTimeout(teams: readonly TeamPlan[]): number {
  let longest = 0;
  for (const team of teams) for (const group of team.groups) for (const s of group.services) longest = Math.max(longest, s.timeoutMs);
  return longest;
}
