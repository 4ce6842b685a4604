/**
 * The team actor: the only kind of actor with a database. It owns one team's checks (or,
 * with id `mass`, every mass check of the scan) from startCheck to endCheck:
 *
 *   starting ──► running ─────────────────────────────► done
 *   (startCheck,   ├ checks: spawn check actors under the scan-wide limiter,
 *    credentials,  │         collect each one's result as it ends
 *    batch insert) └ writer: idle ⇄ flushing (endCheck + batch write of results)
 *
 * Check actors receive plain data only; every database step happens in this actor's
 * own invoked actors (prepareChecks, finishChecks), never inside a check.
 */
import { setMaxListeners } from 'node:events';
import { assign, enqueueActions, fromCallback, fromPromise, setup, type ActorRefFrom, type AnyActorRef } from 'xstate';
import type { CheckLogSink } from '../src/check-session.js';
import type { CredentialData } from '../src/credentials.js';
import { localActorId, type CheckGroup, type FinishedCheck, type PreparedGroup } from '../src/db-owner/check-group.js';
import { finishChecks } from '../src/db-owner/finish-checks.js';
import { failedResult, pendingWarnings, prepareChecks, type Prepared } from '../src/db-owner/prepare-checks.js';
import { errorMessage } from '../src/errors.js';
import type { EngineEvent } from '../src/events.js';
import type { LifecycleOutcome, Phase } from '../src/lifecycle/run-lifecycle.js';
import type { Limiter } from '../src/limiter.js';
import type { ServiceRegistry } from '../src/registry.js';
import type { Store } from '../src/store/store.js';
import type { CheckResult, ScanRecord } from '../src/types.js';
import type { CheckActorInput } from './checkLifecycleMachine.js';
import { startCheckActor } from './checkWorker.js';
import { massCheckMachine } from './massCheckMachine.js';
import { serviceCheckMachine } from './serviceCheckMachine.js';

/** Everything a team actor shares with its scan: no per-check state. */
export interface TeamDeps {
  readonly store: Store;
  readonly registry: ServiceRegistry;
  readonly limiter: Limiter;
  readonly logSink: CheckLogSink;
  readonly credentials: CredentialData;
  readonly random: () => number;
  readonly now: () => number;
  readonly notify: (event: EngineEvent) => void;
  /** Aborts every check of the scan. */
  readonly signal?: AbortSignal;
  readonly postCheckGraceMs?: number;
  /**
   * Slots this team takes straight from the limiter (free ones) before it queues for
   * more: the scan's share per team, so every team's first checks start early rather
   * than the first teams taking every slot. Default: no limit.
   */
  readonly fairShare?: number;
}

/** What the scan spawns a team actor with. */
export interface TeamActorInput {
  readonly scan: ScanRecord;
  /** `team-7`, or `mass` for the owner of the scan's mass checks. */
  readonly ownerId: string;
  readonly groups: readonly CheckGroup[];
  readonly deps: TeamDeps;
}

/** What a team actor reports to its scan when it is done. */
export interface TeamOutput {
  readonly ownerId: string;
  readonly checks: number;
  readonly up: number;
  readonly down: number;
  readonly timedOut: number;
  readonly storeIssues: readonly string[];
  /** Results that could not be written (kept so nothing is lost). */
  readonly unsaved: readonly CheckResult[];
}

/** The team actor's context (exported for declaration emit). */
export interface TeamContext {
  readonly input: TeamActorInput;
  groups: PreparedGroup[];
  /** Groups by the id of their check actor (`localActorId`). */
  byActor: Map<string, PreparedGroup>;
  /**
   * Check actors running now. They are created with this actor as their parent (same
   * system, done events come here) but kept out of the snapshot's `children` map, which
   * XState copies on every spawn and stop (O(n²) per team, docs/benchmarks.md).
   */
  checkActors: Map<string, AnyActorRef>;
  /** Aborts this team's checks: the scan was stopped, or this actor was. */
  readonly checksControl: AbortController;
  /** Slots held back at the limiter for this team's first checks (limiter.ts). */
  readonly reservation: { slots: number };
  /** Index of the next group to spawn. */
  next: number;
  /** Slots handed to this actor by the limiter and not used yet. */
  granted: number;
  /** Check actors spawned and not ended yet. */
  live: number;
  /** Whether this actor is queued at the limiter. */
  waiting: boolean;
  /** Check records still waiting for their result. */
  outstanding: number;
  pending: FinishedCheck[];
  inFlight: FinishedCheck[];
  checks: number;
  up: number;
  down: number;
  timedOut: number;
  storeIssues: string[];
  unsaved: CheckResult[];
}

/** Events a team actor handles. */
export type TeamEvent =
  | { type: 'SLOT_GRANTED' }
  | { type: `xstate.done.actor.${string}`; output: unknown; actorId: string }
  | { type: `xstate.error.actor.${string}`; error: unknown; actorId: string };

/** Results written in one batch at most; smaller batches wait one event-loop turn. */
export const WRITE_BATCH = 500;

/**
 * Lives as long as the team actor: forwards the scan's abort to the team's checks, aborts
 * them when the team actor itself is stopped, and holds the team's fair share of slots
 * in reserve at the limiter until the team first spawns (or stops).
 */
const checksSupervisor = fromCallback<{ type: 'noop' }, { control: AbortController; reservation: { slots: number }; deps: TeamDeps }>(({ input }) => {
  const { control, reservation, deps } = input;
  const { signal: scanSignal, limiter, fairShare } = deps;
  // Every running check of the team listens to it.
  setMaxListeners(0, control.signal);
  const onScanAbort = () => control.abort(scanSignal?.reason);
  if (scanSignal?.aborted) onScanAbort();
  else scanSignal?.addEventListener('abort', onScanAbort, { once: true });
  if (fairShare !== undefined && Number.isFinite(fairShare)) {
    reservation.slots = fairShare;
    limiter.reserve(fairShare);
  }
  return () => {
    scanSignal?.removeEventListener('abort', onScanAbort);
    endReservation(reservation, limiter);
    control.abort(new Error('team actor stopped'));
  };
});

/** Gives the team's reserved slots back to the limiter (once). */
function endReservation(reservation: { slots: number }, limiter: Limiter): void {
  if (reservation.slots === 0) return;
  limiter.unreserve(reservation.slots);
  reservation.slots = 0;
}

/** Resolves on the next event-loop turn, so results arriving meanwhile share a write. */
const nextTurn = fromPromise<void>(() => new Promise((resolve) => setImmediate(resolve)));

/** Turns a check actor's outcome into one result per check record of its group. */
function resultsOf(group: PreparedGroup, outcome: LifecycleOutcome, now: number): FinishedCheck[] {
  return group.records.map((record, i) => {
    const service = group.services[i]!;
    const o = outcome.outcomes.find((x) => x.serviceId === service.id) ?? {
      score: 0,
      error: 'the check actor produced no outcome for this service',
      timedOut: false,
    };
    const result: CheckResult = {
      checkId: record.id,
      scanId: record.scanId,
      team: service.team.number,
      service: service.name,
      type: service.type,
      resolvedType: outcome.resolvedType,
      score: o.score,
      points: service.points,
      error: o.error,
      status: 'finished',
      startedAt: record.startedAt,
      finishedAt: now,
      durationMs: now - record.startedAt,
      warnings: [...(pendingWarnings.get(record) ?? []), ...outcome.warnings],
      timings: outcome.timings,
    };
    return { record, type: group.type, result };
  });
}

/** The team actor (see the chart above). */
export const teamMachine = setup({
  types: {
    input: {} as TeamActorInput,
    context: {} as TeamContext,
    events: {} as TeamEvent,
    output: {} as TeamOutput,
  },
  actors: {
    checksSupervisor,
    nextTurn,
    prepareChecks: fromPromise<Prepared, TeamActorInput>(async ({ input }) =>
      prepareChecks({ scan: input.scan, groups: input.groups, store: input.deps.store, credentials: input.deps.credentials, random: input.deps.random, now: input.deps.now }),
    ),
    finishChecks: fromPromise<CheckResult[], { batch: FinishedCheck[]; deps: TeamDeps; scan: ScanRecord }>(async ({ input }) =>
      finishChecks(input.batch, input.deps.store, (team, key) => input.deps.credentials.teamInfo[team]?.[key], input.scan),
    ),
  },
  guards: {
    /** Done/error events of check actors (the writer's invoked actors send them too). */
    isCheckActor: ({ context, event }) => 'actorId' in event && context.byActor.has(event.actorId),
    allResultsIn: ({ context }) => context.outstanding === 0 && context.next >= context.groups.length,
    hasPending: ({ context }) => context.pending.length > 0,
    batchReady: ({ context }) => context.pending.length >= WRITE_BATCH || (context.outstanding === 0 && context.next >= context.groups.length),
    drained: ({ context }) => context.outstanding === 0 && context.next >= context.groups.length && context.pending.length === 0,
  },
  actions: {
    /**
     * Spawns check actors while the scan-wide limiter has slots; queues otherwise. On
     * SLOT_GRANTED it first counts the slot handed over (one context copy, not two).
     */
    spawnReady: enqueueActions(({ context, event, enqueue, self }) => {
      const { limiter, notify } = context.input.deps;
      let { next, granted, waiting, live } = context;
      if (event.type === 'SLOT_GRANTED') {
        granted++;
        waiting = false;
      }
      const fairShare = context.input.deps.fairShare ?? Infinity;
      const onPhase = (ids: readonly string[], phase: Phase) => notify({ type: 'check.state', serviceIds: ids, state: phase, at: Date.now() });
      while (next < context.groups.length && (granted > 0 || (live < fairShare && limiter.tryAcquire()))) {
        if (granted > 0) granted--;
        live++;
        const group = context.groups[next++]!;
        const deps = context.input.deps;
        const input: CheckActorInput = {
          services: group.services,
          checkIds: group.records.map((r) => r.id),
          actorId: group.actorId,
          type: group.type,
          registry: deps.registry,
          logSink: deps.logSink,
          timeoutMs: Math.max(...group.services.map((s) => s.timeoutMs)),
          onPhase,
          signal: context.checksControl.signal,
          ...(deps.postCheckGraceMs !== undefined ? { postCheckGraceMs: deps.postCheckGraceMs } : {}),
        };
        const logic = group.type.kind === 'mass' ? massCheckMachine : serviceCheckMachine;
        // Created outside the action: XState warns when a machine's context factory runs
        // inside a custom action (development builds).
        const actorId = localActorId(group.actorId);
        enqueue(() =>
          queueMicrotask(() => {
            if (self.getSnapshot().status !== 'active') return;
            context.checkActors.set(actorId, startCheckActor(logic, actorId, self, input));
          }),
        );
        for (const record of group.records) notify({ type: 'check.started', checkId: record.id, serviceId: record.service.id, team: record.service.team.number, service: record.service.name, checkType: group.type.shortName, at: Date.now() });
      }
      if (next < context.groups.length && !waiting) {
        waiting = true;
        limiter.enqueue(() => self.send({ type: 'SLOT_GRANTED' }));
      }
      // Its direct share taken, the team's reservation ends (the queue may use the rest).
      if (context.reservation.slots > 0) enqueue(() => endReservation(context.reservation, limiter));
      // A slot granted after the last check was spawned goes straight back.
      for (; granted > 0 && next >= context.groups.length; granted--) limiter.release();
      enqueue.assign({ next, granted, waiting, live });
    }),
    releaseSlot: ({ context }) => context.input.deps.limiter.release(),
    /** A check actor has ended (done or error): forget it and free its slot. */
    checkActorEnded: ({ context, event }) => {
      context.checkActors.delete((event as { actorId: string }).actorId);
      context.input.deps.limiter.release();
    },
  },
}).createMachine({
  id: 'team',
  context: ({ input }) => ({
    input,
    groups: [],
    byActor: new Map(),
    checkActors: new Map(),
    checksControl: new AbortController(),
    reservation: { slots: 0 },
    next: 0,
    granted: 0,
    live: 0,
    waiting: false,
    outstanding: 0,
    pending: [],
    inFlight: [],
    checks: 0,
    up: 0,
    down: 0,
    timedOut: 0,
    storeIssues: [],
    unsaved: [],
  }),
  invoke: { src: 'checksSupervisor', input: ({ context }) => ({ control: context.checksControl, reservation: context.reservation, deps: context.input.deps }) },
  initial: 'starting',
  // A slot granted when this actor no longer needs one is given back.
  on: { SLOT_GRANTED: { actions: 'releaseSlot' } },
  states: {
    starting: {
      invoke: {
        src: 'prepareChecks',
        input: ({ context }) => context.input,
        onDone: {
          target: 'running',
          actions: assign(({ event }) => {
            const { groups, failed } = event.output;
            return {
              groups,
              byActor: new Map(groups.map((g) => [localActorId(g.actorId), g])),
              outstanding: groups.reduce((n, g) => n + g.records.length, 0),
              pending: failed,
            };
          }),
        },
        onError: {
          // The store could not record the checks as started: nothing ran, say why.
          target: 'running',
          actions: assign(({ context, event }) => {
            const now = context.input.deps.now();
            const message = `could not record checks as started: ${errorMessage(event.error)}`;
            const failed = context.input.groups.flatMap((g) =>
              g.services.map((service) => {
                const record = { id: `${context.input.scan.id}:${service.id}`, scanId: context.input.scan.id, service, status: 'in_progress' as const, startedAt: now };
                return { record, type: g.type, result: failedResult(record, message, [], now) };
              }),
            );
            const results = failed.map((f) => f.result);
            publish(context, results);
            return { storeIssues: [...context.storeIssues, message], unsaved: results, ...tally(context, results) };
          }),
        },
      },
    },
    running: {
      type: 'parallel',
      states: {
        checks: {
          initial: 'active',
          states: {
            active: {
              entry: 'spawnReady',
              always: { guard: 'allResultsIn', target: 'allIn' },
              on: {
                SLOT_GRANTED: { actions: 'spawnReady' },
                'xstate.done.actor.*': {
                  guard: 'isCheckActor',
                  actions: [
                    assign(({ context, event }) => {
                      const group = context.byActor.get(event.actorId);
                      if (!group) return {};
                      const { outcome } = event.output as { outcome: LifecycleOutcome };
                      const finished = resultsOf(group, outcome, context.input.deps.now());
                      context.pending.push(...finished);
                      return { outstanding: context.outstanding - finished.length, live: context.live - 1 };
                    }),
                    'checkActorEnded',
                    'spawnReady',
                  ],
                },
                'xstate.error.actor.*': {
                  guard: 'isCheckActor',
                  actions: [
                    assign(({ context, event }) => {
                      const group = context.byActor.get(event.actorId);
                      if (!group) return {};
                      const now = context.input.deps.now();
                      const finished = group.records.map((record) => ({ record, type: group.type, result: failedResult(record, `internal error: ${errorMessage(event.error)}`, [], now) }));
                      context.pending.push(...finished);
                      return { outstanding: context.outstanding - finished.length, live: context.live - 1 };
                    }),
                    'checkActorEnded',
                    'spawnReady',
                  ],
                },
              },
            },
            allIn: { type: 'final' },
          },
        },
        writer: {
          initial: 'idle',
          states: {
            idle: {
              always: [
                { guard: 'hasPending', target: 'collecting' },
                { guard: 'drained', target: 'drained' },
              ],
            },
            // Results that arrive within one event-loop turn share a write (fewer, larger
            // batches); a full batch or the team's last result is written at once.
            collecting: {
              always: { guard: 'batchReady', target: 'flushing' },
              invoke: { src: 'nextTurn', onDone: 'flushing' },
            },
            flushing: {
              entry: assign(({ context }) => ({ inFlight: context.pending, pending: [] })),
              invoke: {
                src: 'finishChecks',
                input: ({ context }) => ({ batch: context.inFlight, deps: context.input.deps, scan: context.input.scan }),
                onDone: {
                  target: 'idle',
                  actions: [({ context, event }) => publish(context, event.output), assign(({ context, event }) => ({ inFlight: [], ...tally(context, event.output) }))],
                },
                onError: {
                  target: 'idle',
                  actions: [({ context }) => publish(context, context.inFlight.map((f) => f.result)), assign(({ context, event }) => ({
                    ...tally(context, context.inFlight.map((f) => f.result)),
                    storeIssues: [...context.storeIssues, `could not write ${context.inFlight.length} results: ${errorMessage(event.error)}`],
                    unsaved: [...context.unsaved, ...context.inFlight.map((f) => f.result)],
                    inFlight: [],
                  }))],
                },
              },
            },
            drained: { type: 'final' },
          },
        },
      },
      onDone: 'done',
    },
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    ownerId: context.input.ownerId,
    checks: context.checks,
    up: context.up,
    down: context.down,
    timedOut: context.timedOut,
    storeIssues: context.storeIssues,
    unsaved: context.unsaved,
  }),
});

/** Results are published once their write was attempted: results$ reflects the store. */
function publish(context: TeamContext, results: readonly CheckResult[]): void {
  for (const result of results) context.input.deps.notify({ type: 'check.result', result });
}

/** Counts written (or unwritable) results into the team's summary. */
function tally(context: TeamContext, results: readonly CheckResult[]) {
  let { checks, up, down, timedOut } = context;
  for (const result of results) {
    checks++;
    if (result.error === null) up++;
    else down++;
    if (result.error?.startsWith('timed out after')) timedOut++;
  }
  return { checks, up, down, timedOut };
}

/** A running team actor. */
export type TeamActorRef = ActorRefFrom<typeof teamMachine>;
