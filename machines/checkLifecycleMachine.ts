/**
 * The check lifecycle as a statechart, shared by the service-check and mass-check
 * actors:
 *
 *   started → resolving → preCheck → checking → postCheck → ended
 *                 └──────────── (resolution failed) ──────────→ ended
 *                             preCheck ──(failed)──→ postCheck
 *
 * Its worker (checkWorker.ts), started with the actor, runs the hooks and announces each
 * phase; the chart accepts phases only in this order and outputs the outcome. The chart
 * itself has no side effects (an entry action that started the worker cost ~20 µs per
 * check in XState 5.33, measured in bench/). It has no timers of its own: the deadline lives in
 * the worker's AbortSignal, which the team's signal (scan stopped, team stopped) aborts.
 */
import { assign, setup } from 'xstate';
import type { LifecycleInput, LifecycleOutcome } from '../src/lifecycle/run-lifecycle.js';
import type { CheckWorkerEvent } from './checkWorker.js';

/** What the check actor is spawned with: plain data and type objects, no database. */
export interface CheckActorInput extends LifecycleInput {
  /** Check ids, parallel to `services`. */
  readonly checkIds: readonly string[];
  /** Scan-wide name of this check (`team-7/ssh`, `mass/dns`): the inspector's id for it. */
  readonly actorId: string;
}

/** The check actor's context. */
export interface CheckActorContext {
  readonly lifecycle: LifecycleInput;
  readonly checkIds: readonly string[];
  /** See CheckActorInput. */
  readonly actorId: string;
  resolvedType: string | undefined;
  /**
   * Epoch ms at which postCheck was entered (its grace runs from there; the inspector
   * times the other states from its own events, saving a context copy per phase).
   */
  postCheckAt: number | undefined;
  readonly startedAt: number;
  outcome: LifecycleOutcome | undefined;
}

/** Builds the lifecycle chart under a machine id (serviceCheck or massCheck). */
export function createCheckLifecycleMachine(id: string) {
  return setup({
    types: {
      input: {} as CheckActorInput,
      context: {} as CheckActorContext,
      events: {} as CheckWorkerEvent,
      output: {} as { checkIds: readonly string[]; outcome: LifecycleOutcome; startedAt: number },
    },
    actions: {
      markPostCheck: assign({ postCheckAt: () => Date.now() }),
      recordResolved: assign({ resolvedType: ({ event }) => ('resolvedType' in event ? event.resolvedType : undefined) }),
      recordOutcome: assign({ outcome: ({ event }) => (event.type === 'check.ended' ? event.outcome : undefined) }),
    },
  }).createMachine({
    id,
    context: ({ input }) => {
      const { checkIds, actorId, ...lifecycle } = input;
      const now = Date.now();
      return {
        lifecycle,
        checkIds,
        actorId,
        resolvedType: undefined,
        postCheckAt: undefined,
        startedAt: now,
        outcome: undefined,
      };
    },
    initial: 'started',
    states: {
      started: { on: { 'check.resolving': 'resolving' } },
      resolving: {
        on: {
          'check.preCheck': { target: 'preCheck', actions: 'recordResolved' },
          'check.ended': { target: 'ended', actions: 'recordOutcome' },
        },
      },
      preCheck: {
        on: {
          'check.checking': 'checking',
          'check.postCheck': { target: 'postCheck', actions: 'markPostCheck' },
        },
      },
      checking: { on: { 'check.postCheck': { target: 'postCheck', actions: 'markPostCheck' } } },
      postCheck: { on: { 'check.ended': { target: 'ended', actions: 'recordOutcome' } } },
      ended: { type: 'final' },
    },
    output: ({ context }) => ({
      checkIds: context.checkIds,
      // recordOutcome always runs on the way into `ended`.
      outcome: context.outcome ?? { resolvedType: undefined, outcomes: [], warnings: ['no outcome'], timings: {} },
      startedAt: context.startedAt,
    }),
  });
}
