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

/** Events a check worker sends to its check actor. */
export type CheckWorkerEvent =
  | { type: `check.${Phase}`; resolvedType?: string }
  | { type: 'check.ended'; outcome: LifecycleOutcome };

/** Runs one check's hooks, sending each phase and the outcome to `send`. */
export function startCheckWorker(input: LifecycleInput, send: (event: CheckWorkerEvent) => void): void {
  const ids = input.onPhase ? input.services.map((s) => s.id) : [];
  runLifecycle(input, (phase, resolvedType) => {
    input.onPhase?.(ids, phase);
    send(resolvedType ? { type: `check.${phase}`, resolvedType } : { type: `check.${phase}` });
  }).then(
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
