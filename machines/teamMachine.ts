/**
 * The team actor: the only kind of actor with a database. It owns one team's checks (or,
 * with id `mass`, every mass check of the scan) from startCheck to endCheck:
 *
 *   starting ──────────► running ──────────────────────────► done
 *   (startCheck,          its checks runner starts the check actors under the
 *    credentials,         scan-wide limiter, collects their outcomes, runs endCheck
 *    batch insert)        and writes the results in batches (checksRunner.ts)
 *
 *   any state ──(team.stop: its scan actor was stopped)──► stopped
 *   (the runner gives back its slots, the supervisor aborts the checks; nothing more
 *    is written)
 *
 * Check actors receive plain data only; every database step happens in this actor's
 * own invoked actors (prepareChecks, the checks runner), never inside a check.
 */
import { setMaxListeners } from 'node:events';
import { assign, fromCallback, fromPromise, setup, type ActorRefFrom, type AnyActorRef } from 'xstate';
import { errorMessage } from '../src/errors.js';
import { publishResults } from '../src/events.js';
import type { Limiter } from '../src/scheduling/limiter.js';
import type { TeamDeps } from '../src/scan/scan-deps.js';
import type { LiveCounts } from '../src/scan/live-counts.js';
import { NO_CHECKS, tally, type TeamCounts } from '../src/scan/team-counts.js';
import type { CheckGroup, FinishedCheck, PreparedGroup } from '../src/team-database/check-group.js';
import { failedResult } from '../src/team-database/check-result.js';
import { prepareChecks, type Prepared } from '../src/team-database/prepare-checks.js';
import type { CheckResult, ScanRecord } from '../src/types.js';
import { checksRunner, type ChecksRunnerEvent } from './checksRunner.js';

/** What the scan spawns a team actor with. */
export interface TeamActorInput {
  readonly scan: ScanRecord;
  /** `team-7`, or `mass` for the owner of the scan's mass checks. */
  readonly ownerId: string;
  readonly groups: readonly CheckGroup[];
  readonly deps: TeamDeps;
}

/** What a team actor reports to its scan when it is done. */
export interface TeamOutput extends TeamCounts {
  readonly ownerId: string;
  readonly storeIssues: readonly string[];
  /** Results that could not be written (kept so nothing is lost). */
  readonly unsaved: readonly CheckResult[];
}

/** The team actor's context (exported for declaration emit). */
export interface TeamContext {
  readonly input: TeamActorInput;
  /** What startCheck prepared: groups to run, and checks that already failed. */
  groups: PreparedGroup[];
  failed: FinishedCheck[];
  /**
   * Check actors running now, kept by the checks runner. They are created with the
   * runner as parent (same system) but kept out of any snapshot's `children` map, which
   * XState copies on every spawn and stop (docs/benchmarks.md, "Where the time goes now");
   * the inspector reads them here.
   */
  readonly checkActors: Map<string, AnyActorRef>;
  /** Aborts this team's checks: the scan was stopped, or this actor was. */
  readonly checksControl: AbortController;
  /** Slots held back at the limiter for this team's first checks (src/scheduling/limiter.ts). */
  readonly reservation: { slots: number };
  /**
   * The counts as of the last written result, kept by the checks runner without a
   * transition (the chart's own counts follow at most every progressMs): the inspector
   * reads them here, so a team's counts follow every ended check (src/scan/live-counts.ts).
   */
  readonly liveCounts: LiveCounts;
  checks: number;
  up: number;
  down: number;
  timedOut: number;
  interrupted: number;
  rerun: number;
  overloaded: number;
  storeIssues: readonly string[];
  unsaved: readonly CheckResult[];
}

/** Events a team actor handles: its invoked actors' done events and its runner's counts. */
export type TeamEvent =
  | ChecksRunnerEvent
  /** The scan actor was stopped outright: stop everything, write nothing more. */
  | { type: 'team.stop' }
  | { type: `xstate.done.actor.${string}`; output: unknown; actorId: string }
  | { type: `xstate.error.actor.${string}`; error: unknown; actorId: string };

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
    checksRunner,
    prepareChecks: fromPromise<Prepared, TeamActorInput>(async ({ input }) =>
      prepareChecks({ scan: input.scan, groups: input.groups, store: input.deps.store, credentials: input.deps.credentials, random: input.deps.random, now: input.deps.now }),
    ),
  },
}).createMachine({
  id: 'team',
  context: ({ input }) => ({
    input,
    groups: [],
    failed: [],
    checkActors: new Map(),
    checksControl: new AbortController(),
    reservation: { slots: 0 },
    liveCounts: { current: NO_CHECKS },
    checks: 0,
    up: 0,
    down: 0,
    timedOut: 0,
    interrupted: 0,
    rerun: 0,
    overloaded: 0,
    storeIssues: [],
    unsaved: [],
  }),
  invoke: { src: 'checksSupervisor', input: ({ context }) => ({ control: context.checksControl, reservation: context.reservation, deps: context.input.deps }) },
  initial: 'starting',
  on: { 'team.stop': '.stopped' },
  states: {
    starting: {
      invoke: {
        src: 'prepareChecks',
        input: ({ context }) => context.input,
        onDone: {
          target: 'running',
          actions: assign(({ event }) => ({ groups: event.output.groups, failed: event.output.failed })),
        },
        onError: {
          // The store could not record the checks as started: nothing ran, say why.
          target: 'done',
          actions: assign(({ context, event }) => {
            const now = context.input.deps.now();
            const message = `could not record checks as started: ${errorMessage(event.error)}`;
            const failed = context.input.groups.flatMap((g) =>
              g.services.map((service) => {
                const record = { id: `${context.input.scan.id}:${service.id}`, scanId: context.input.scan.id, service, status: 'in_progress' as const, startedAt: now, data: {} };
                return { record, type: g.type, result: failedResult(record, message, [], now) };
              }),
            );
            const results = failed.map((f) => f.result);
            publishResults(context.input.deps, results);
            return { storeIssues: [...context.storeIssues, message], unsaved: results, ...tally(context, results) };
          }),
        },
      },
    },
    running: {
      invoke: {
        src: 'checksRunner',
        input: ({ context }) => ({
          scan: context.input.scan,
          groups: context.groups,
          failed: context.failed,
          running: context.checkActors,
          liveCounts: context.liveCounts,
          deps: context.input.deps,
          signal: context.checksControl.signal,
          endReservation: () => endReservation(context.reservation, context.input.deps.limiter),
        }),
      },
      on: {
        'checks.progress': { actions: assign(({ event }) => ({ ...event.counts })) },
        'checks.finished': {
          target: 'done',
          actions: assign(({ context, event }) => ({
            ...event.counts,
            storeIssues: [...context.storeIssues, ...event.storeIssues],
            unsaved: [...context.unsaved, ...event.unsaved],
          })),
        },
      },
    },
    done: { type: 'final' },
    stopped: { type: 'final' },
  },
  output: ({ context }) => ({
    ownerId: context.input.ownerId,
    checks: context.checks,
    up: context.up,
    down: context.down,
    timedOut: context.timedOut,
    interrupted: context.interrupted,
    rerun: context.rerun,
    overloaded: context.overloaded,
    storeIssues: context.storeIssues,
    unsaved: context.unsaved,
  }),
});

/** A running team actor. */
export type TeamActorRef = ActorRefFrom<typeof teamMachine>;
