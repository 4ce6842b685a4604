/**
 * The scan actor: one round of checks over every team.
 *
 *   preparing ──► running ──► finishing ──► done
 *   (round number,  (one team actor per team, plus `mass` for the mass checks;
 *    Team Specific   each owns its checks' database steps)
 *    Info, groups)
 *       └──(error: nothing was started)──► failed
 *
 * The scan never touches a check's database steps itself: team actors do. It only opens
 * and closes the round.
 */
import { assign, createActor, enqueueActions, fromCallback, fromPromise, setup, type AnyActorRef } from 'xstate';
import type { Logger } from 'pino';
import { expandService } from '../src/competition.js';
import type { CredentialData } from '../src/credentials.js';
import type { CheckGroup } from '../src/db-owner/check-group.js';
import { errorMessage } from '../src/errors.js';
import type { EngineEvent } from '../src/events.js';
import type { Limiter } from '../src/limiter.js';
import { checkLogSink } from '../src/logger.js';
import type { ServiceRegistry } from '../src/registry.js';
import type { CheckThreads } from '../src/threads/check-threads.js';
import type { Store } from '../src/store/store.js';
import type { CheckResult, Competition, ScanRecord, ScanSummary } from '../src/types.js';
import { progressIntervalMs } from './checksRunner.js';
import { teamMachine, type TeamDeps, type TeamOutput } from './teamMachine.js';

/** What the engine gives a scan actor. */
export interface ScanDeps {
  readonly store: Store;
  readonly registry: ServiceRegistry;
  readonly limiter: Limiter;
  readonly logger: Logger;
  readonly notify: (event: EngineEvent) => void;
  /**
   * Whether anyone listens to the scan's events right now (`events$`, `results$`). The
   * per-check events (check.started, check.state, check.result) are not built when
   * nobody does. Default: always.
   */
  readonly listening?: () => boolean;
  readonly random: () => number;
  readonly now: () => number;
  /** Resolves when plugins are loaded and the store is ready. */
  readonly ready: () => Promise<void>;
  readonly signal?: AbortSignal;
  readonly postCheckGraceMs?: number;
  /** Where checks' hooks run when the engine has check threads. */
  readonly threads?: CheckThreads;
}

/** Input of the scan actor. */
export interface ScanActorInput {
  readonly competition: Competition;
  readonly deps: ScanDeps;
}

/** One team actor to spawn. */
/** One team actor to spawn. */
export interface TeamPlan {
  readonly ownerId: string;
  readonly groups: readonly CheckGroup[];
}

/** What preparing produces. */
/** What preparing produces. */
export interface ScanPlan {
  readonly scan: ScanRecord;
  readonly teams: readonly TeamPlan[];
  readonly teamDeps: TeamDeps;
  readonly checks: number;
}

/** The scan actor's output: a summary, or why it could not start. */
export type ScanOutput = { readonly summary: ScanSummary; readonly unsaved: readonly CheckResult[] } | { readonly error: string };

/** The scan actor's context. */
export interface ScanContext {
  readonly input: ScanActorInput;
  plan: ScanPlan | undefined;
  remaining: number;
  outputs: TeamOutput[];
  summary: ScanSummary | undefined;
  error: string | undefined;
  /**
   * Team actors running now, by owner id. Created with this actor as their parent (same
   * system; their done events come here) but kept out of the snapshot's `children` map:
   * XState copies that map on every spawn and stop, which cost ~1 ms per team at 500
   * teams (docs/benchmarks.md).
   */
  readonly teamActors: Map<string, AnyActorRef>;
}

/**
 * Stops the team actors still running when the scan actor itself is stopped (they are
 * not in its `children` map, so XState does not; and only a root actor may be stopped
 * from outside, so they are told to stop themselves).
 */
const teamsSupervisor = fromCallback<{ type: 'noop' }, { teamActors: Map<string, AnyActorRef> }>(({ input }) => () => {
  for (const team of input.teamActors.values()) team.send({ type: 'team.stop' });
  input.teamActors.clear();
});

/** Opens the round and builds the team plans (no check is started here). */
async function prepareScan({ competition, deps }: ScanActorInput): Promise<ScanPlan> {
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
    // Every team's first checks start in the first wave (hung ones too: measured in bench/).
    fairShare: Math.max(1, Math.floor(deps.limiter.max / teams.length)),
    progressMs: progressIntervalMs(teams.length),
  };
  const checks = teams.reduce((n, t) => n + t.groups.reduce((m, g) => m + g.services.length, 0), 0);
  return { scan, teams, teamDeps, checks };
}

function summarize(context: ScanContext, now: number): ScanSummary {
  const scan = context.plan!.scan;
  const sum = (k: 'checks' | 'up' | 'down' | 'timedOut') => context.outputs.reduce((n, o) => n + o[k], 0);
  return {
    scanId: scan.id,
    round: scan.round,
    startedAt: scan.startedAt,
    finishedAt: now,
    durationMs: now - scan.startedAt,
    checks: sum('checks'),
    up: sum('up'),
    down: sum('down'),
    timedOut: sum('timedOut'),
    storeIssues: [...(context.input.deps.store.takeIssues?.() ?? []), ...context.outputs.flatMap((o) => o.storeIssues)],
  };
}

/** The scan actor (see the chart above). */
export const scanMachine = setup({
  types: {
    input: {} as ScanActorInput,
    context: {} as ScanContext,
    events: {} as { type: `xstate.done.actor.${string}`; output: unknown; actorId: string },
    output: {} as ScanOutput,
  },
  actors: {
    teamsSupervisor,
    prepareScan: fromPromise<ScanPlan, ScanActorInput>(async ({ input }) => prepareScan(input)),
    endScan: fromPromise<void, { store: Store; summary: ScanSummary }>(async ({ input }) => input.store.endScan(input.summary)),
  },
}).createMachine({
  id: 'scan',
  context: ({ input }) => ({ input, plan: undefined, remaining: 0, outputs: [], summary: undefined, error: undefined, teamActors: new Map() }),
  invoke: { src: 'teamsSupervisor', input: ({ context }) => ({ teamActors: context.teamActors }) },
  initial: 'preparing',
  states: {
    preparing: {
      invoke: {
        src: 'prepareScan',
        input: ({ context }) => context.input,
        onDone: {
          target: 'running',
          actions: [
            assign(({ event }) => ({ plan: event.output, remaining: event.output.teams.length })),
            ({ context, event }) => {
              const { scan, checks } = event.output;
              context.input.deps.notify({ type: 'scan.started', scanId: scan.id, round: scan.round, competition: scan.competition, checks, at: Date.now() });
            },
          ],
        },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => errorMessage(event.error) }) },
      },
    },
    running: {
      // Started on a microtask, after this transition: XState's development build warns
      // when a machine is created inside a custom action.
      entry: enqueueActions(({ context, enqueue, self }) => {
        const plan = context.plan!;
        enqueue(() =>
          queueMicrotask(() => {
            if (self.getSnapshot().status !== 'active') return;
            for (const team of plan.teams) {
              const input = { scan: plan.scan, ownerId: team.ownerId, groups: team.groups, deps: plan.teamDeps };
              const actor = createActor(teamMachine, { id: team.ownerId, parent: self, input });
              context.teamActors.set(team.ownerId, actor);
              actor.start();
            }
          }),
        );
      }),
      always: { guard: ({ context }) => context.remaining === 0, target: 'finishing' },
      on: {
        'xstate.done.actor.*': {
          actions: [
            assign(({ context, event }) => {
              // A finished team's context (its checks and results) is garbage from here on.
              if (!context.teamActors.delete(event.actorId)) return {};
              context.outputs.push(event.output as TeamOutput);
              return { remaining: context.remaining - 1 };
            }),
          ],
        },
      },
    },
    finishing: {
      entry: assign({ summary: ({ context }) => summarize(context, context.input.deps.now()) }),
      invoke: {
        src: 'endScan',
        input: ({ context }) => ({ store: context.input.deps.store, summary: context.summary! }),
        onDone: 'done',
        onError: {
          target: 'done',
          actions: assign({
            summary: ({ context, event }) => ({ ...context.summary!, storeIssues: [...context.summary!.storeIssues, `could not close the scan: ${errorMessage(event.error)}`] }),
          }),
        },
      },
    },
    done: { type: 'final' },
    failed: { type: 'final' },
  },
  output: ({ context }) =>
    context.summary ? { summary: context.summary, unsaved: context.outputs.flatMap((o) => o.unsaved) } : { error: context.error ?? 'scan failed' },
});
