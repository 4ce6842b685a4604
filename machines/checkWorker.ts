/**
 * The worker of a check actor: runs the lifecycle hooks (src/lifecycle) and tells its
 * check actor as each phase starts and when it ends. It is started together with the
 * actor (driveCheckActor, right after `actor.start()`) rather than invoked as a child
 * actor: one actor per check instead of two (measured: ~65 µs vs ~110 µs per check at 100 checks per team,
 * docs/benchmarks.md). It is cancelled through `input.signal` (the team's signal).
 * Failures never escape.
 */
import type { ActorRefFrom } from 'xstate';
import { errorMessage } from '../src/errors.js';
import { endedWithError, runLifecycle, type LifecycleInput, type LifecycleOutcome, type Phase } from '../src/lifecycle/run-lifecycle.js';
import type { createCheckLifecycleMachine } from './checkLifecycleMachine.js';

/** One step of the lifecycle as a worker announces it: a phase started, or the check ended. */
export type CheckStep =
  | { type: `check.${Phase}`; resolvedType?: string }
  | { type: 'check.ended'; outcome: LifecycleOutcome };

/**
 * Events a check worker sends to its check actor: one step, or several steps that
 * happened together (hooks that answered at once, or one report of a check thread),
 * applied in order as one transition. A check whose hooks all answer at once makes two
 * sends instead of five, and so two snapshots and four inspection events instead of ten
 * (bench/notes.md, sixth round).
 */
export type CheckWorkerEvent = CheckStep | { type: 'check.steps'; steps: readonly CheckStep[] };

/** Sends `steps` (in order) as one event: nothing for none, the step itself for one. */
export function sendSteps(send: (event: CheckWorkerEvent) => void, steps: readonly CheckStep[]): void {
  if (steps.length === 1) send(steps[0]!);
  else if (steps.length > 1) send({ type: 'check.steps', steps });
}

/** Runs one check's hooks, sending its phases and the outcome to `send`. */
export function startCheckWorker(input: LifecycleInput, send: (event: CheckWorkerEvent) => void): void {
  // Phases announced while runLifecycle runs synchronously (hooks that answer at once)
  // are sent together when it first returns; later ones as they come.
  let together: CheckStep[] | undefined = [];
  const ended = runLifecycle(input, (phase, resolvedType) => {
    input.onPhase?.(input.services, phase);
    const step: CheckStep = resolvedType ? { type: `check.${phase}`, resolvedType } : { type: `check.${phase}` };
    if (together) together.push(step);
    else send(step);
  });
  const first = together;
  together = undefined;
  sendSteps(send, first);
  ended.then(
    // Ended by a stopped scan or team too: every check gets its result.
    (outcome) => send({ type: 'check.ended', outcome }),
    (err: unknown) => {
      // runLifecycle does not throw; this guards the actor if it ever does.
      send({ type: 'check.ended', outcome: endedWithError(input.services, `internal error: ${errorMessage(err)}`) });
    },
  );
}

/** The check actors' logic (serviceCheckMachine or massCheckMachine). */
export type CheckLogic = ReturnType<typeof createCheckLifecycleMachine>;
/** A running check actor. */
export type CheckActorRef = ActorRefFrom<CheckLogic>;

/** Sends worker events to a check actor while it runs (a stopped one takes no more). */
export function sendingTo(actor: CheckActorRef): (event: CheckWorkerEvent) => void {
  return (event) => {
    if (actor.getSnapshot().status === 'active') actor.send(event);
  };
}

/** Starts the worker of a started check actor: it drives the actor through the lifecycle. */
export function driveCheckActor(actor: CheckActorRef, input: LifecycleInput): void {
  startCheckWorker(input, sendingTo(actor));
}
