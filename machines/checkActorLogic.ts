/**
 * The check actor: XState actor logic over a transition table, shared by the
 * service-check and mass-check actors. Not a `createMachine` chart: the chart is flat,
 * has no actions, guards or children, and there is one such actor per check, so a
 * table is most of the statechart's value at a fraction of its cost
 * (docs/benchmarks.md, "Where the time goes now").
 *
 *   started → resolving → preCheck → checking → postCheck → ended
 *                 └──────────── (resolution failed) ──────────→ ended
 *                             preCheck ──(failed)──→ postCheck
 *
 * Its worker (src/lifecycle/check-worker.ts, or a check thread), started with the
 * actor, runs the hooks and announces each phase (phases that happen together come as
 * one `check.steps` event, applied in order as one transition); the logic accepts
 * phases only in this order and outputs the outcome. It has no side effects and no
 * timers: the deadline lives in the worker, which the team's signal aborts.
 *
 * The actors are ordinary XState actors all the same: created with `createActor`,
 * members of the scan's actor system, seen by the inspection API, and their done event
 * goes to the actor that created them. Their snapshots carry `value`, `context` and
 * `machine.id` like a machine's.
 */
import type { ActorLogic, ActorRefFrom, ActorScope, Snapshot } from 'xstate';
import type { CheckStep, CheckWorkerEvent, SendSteps } from '../src/lifecycle/check-worker.js';
import type { LifecycleOutcome } from '../src/lifecycle/outcome.js';
import type { LifecycleInput } from '../src/lifecycle/run-lifecycle.js';
import type { CheckState } from '../src/lifecycle/states.js';

export type { CheckState } from '../src/lifecycle/states.js';

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
  readonly resolvedType: string | undefined;
  /**
   * Epoch ms at which postCheck was entered (its grace runs from there; the inspector
   * times the other states from its own events, saving a context copy per phase).
   */
  readonly postCheckAt: number | undefined;
  readonly startedAt: number;
  readonly outcome: LifecycleOutcome | undefined;
}

/** What a check actor outputs when it ends. */
export interface CheckActorOutput {
  readonly checkIds: readonly string[];
  readonly outcome: LifecycleOutcome;
  readonly startedAt: number;
}

/** The whole chart: for each state, which worker step moves it to which state. */
export const CHECK_TRANSITIONS: { readonly [S in CheckState]: Readonly<Partial<Record<CheckStep['type'], CheckState>>> } = {
  started: { 'check.resolving': 'resolving' },
  resolving: { 'check.preCheck': 'preCheck', 'check.ended': 'ended' },
  preCheck: { 'check.checking': 'checking', 'check.postCheck': 'postCheck' },
  checking: { 'check.postCheck': 'postCheck' },
  postCheck: { 'check.ended': 'ended' },
  ended: {},
};

/** A check actor's snapshot: XState's status/output/error, plus the state and context. */
export type CheckSnapshot = Snapshot<CheckActorOutput> & {
  readonly value: CheckState;
  readonly context: CheckActorContext;
  /** The logic's id (`serviceCheck`, `massCheck`), where a machine snapshot has it. */
  readonly machine: { readonly id: string };
  /** A check actor has no children; kept so it reads like a machine snapshot. */
  readonly children: Record<string, never>;
};

/** The logic of a check actor (see the chart above), under its id. */
export interface CheckActorLogic extends ActorLogic<CheckSnapshot, CheckWorkerEvent, CheckActorInput> {
  readonly id: string;
}

const NO_CHILDREN: Record<string, never> = Object.freeze({});

/** Builds the check actor's logic under an id (serviceCheck or massCheck). */
export function createCheckActorLogic(id: string): CheckActorLogic {
  const machine = { id };
  const logic: CheckActorLogic = {
    id,
    config: { id, states: CHECK_TRANSITIONS },
    getInitialSnapshot(_scope: ActorScope<CheckSnapshot, CheckWorkerEvent>, input: CheckActorInput): CheckSnapshot {
      const { checkIds, actorId, ...lifecycle } = input;
      return activeSnapshot('started', { lifecycle, checkIds, actorId, resolvedType: undefined, postCheckAt: undefined, startedAt: Date.now(), outcome: undefined }, machine);
    },
    transition(snapshot: CheckSnapshot, event: CheckWorkerEvent | { type: 'xstate.stop' }): CheckSnapshot {
      if (snapshot.status !== 'active') return snapshot;
      if (event.type === 'xstate.stop') return { status: 'stopped', output: undefined, error: undefined, value: snapshot.value, context: snapshot.context, machine, children: NO_CHILDREN };
      if (event.type !== 'check.steps') return step(snapshot, event, machine);
      let next: CheckSnapshot = snapshot;
      for (const s of event.steps) next = step(next, s, machine);
      return next;
    },
    getPersistedSnapshot(snapshot: CheckSnapshot) {
      return snapshot;
    },
  };
  return logic;
}

/** The snapshot after one step: the next state, or `snapshot` itself for a step out of order (or after the end). */
function step(snapshot: CheckSnapshot, event: CheckStep, machine: { readonly id: string }): CheckSnapshot {
  if (snapshot.status !== 'active') return snapshot;
  const target = CHECK_TRANSITIONS[snapshot.value][event.type];
  // An event out of order changes nothing, as with a machine without that transition.
  if (!target) return snapshot;
  const context = nextContext(snapshot.context, event);
  if (target !== 'ended') return activeSnapshot(target, context, machine);
  const output: CheckActorOutput = {
    checkIds: context.checkIds,
    outcome: context.outcome ?? { resolvedType: undefined, outcomes: [], warnings: ['no outcome'], timings: {} },
    startedAt: context.startedAt,
  };
  return { status: 'done', output, error: undefined, value: target, context, machine, children: NO_CHILDREN };
}

/**
 * An active snapshot. Snapshots and contexts are built as literals of one fixed shape,
 * not spread: the transition runs five times per check, and spreads cost measurably
 * (docs/benchmarks.md, "Where the time goes now").
 */
function activeSnapshot(value: CheckState, context: CheckActorContext, machine: { readonly id: string }): CheckSnapshot {
  return { status: 'active', output: undefined, error: undefined, value, context, machine, children: NO_CHILDREN };
}

/** A context with some fields replaced; one literal of the context's shape. */
function withContext(c: CheckActorContext, changes: Partial<Pick<CheckActorContext, 'resolvedType' | 'postCheckAt' | 'outcome'>>): CheckActorContext {
  return {
    lifecycle: c.lifecycle,
    checkIds: c.checkIds,
    actorId: c.actorId,
    resolvedType: 'resolvedType' in changes ? changes.resolvedType : c.resolvedType,
    postCheckAt: changes.postCheckAt ?? c.postCheckAt,
    startedAt: c.startedAt,
    outcome: changes.outcome ?? c.outcome,
  };
}

/** The context after `event`: what the event records, if anything. */
function nextContext(context: CheckActorContext, event: CheckStep): CheckActorContext {
  switch (event.type) {
    case 'check.preCheck':
      return withContext(context, { resolvedType: event.resolvedType });
    case 'check.postCheck':
      return withContext(context, { postCheckAt: Date.now() });
    case 'check.ended':
      return withContext(context, { outcome: event.outcome });
    default:
      return context;
  }
}

/** The service-check actor's logic: one team's service, standard or multi-protocol. */
export const serviceCheckLogic: CheckActorLogic = createCheckActorLogic('serviceCheck');

/** The mass-check actor's logic: the same lifecycle, its input lists every team's service. */
export const massCheckLogic: CheckActorLogic = createCheckActorLogic('massCheck');

/** A running check actor. */
export type CheckActorRef = ActorRefFrom<CheckActorLogic>;

/** Sends worker steps to a check actor while it runs (a stopped one takes no more). */
export function sendingTo(actor: CheckActorRef): SendSteps {
  return (event) => {
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };
}
