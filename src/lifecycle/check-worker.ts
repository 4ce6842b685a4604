/**
 * The worker of a check actor: runs a check's hooks (runLifecycle) and tells its check
 * actor as each phase starts and when it ends, as the steps the actor's transition table
 * takes (machines/checkActorLogic.ts). It runs beside the actor, not as a child actor:
 * one actor per check instead of two (docs/benchmarks.md, "Where the time goes now").
 * It is cancelled through `input.signal` (the team's signal). Failures never escape.
 *
 * Where hooks run is a `CheckHookHost`: here in the engine's thread (`startCheckWorker`)
 * or in check threads (src/threads), which report the same steps.
 */
import { errorMessage } from '../errors.js';
import type { ServiceType } from '../service-type.js';
import { endedWithError, type LifecycleOutcome } from './outcome.js';
import { runLifecycle, type LifecycleInput } from './run-lifecycle.js';
import type { Phase } from './states.js';

/** One step of the lifecycle as a worker announces it: a phase started, or the check ended. */
export type CheckStep =
  | { type: `check.${Phase}`; resolvedType?: string }
  | { type: 'check.ended'; outcome: LifecycleOutcome };

/**
 * Events a check worker sends to its check actor: one step, or several steps that
 * happened together (hooks that answered at once, or one report of a check thread),
 * applied in order as one transition: fewer snapshots and inspection events per check.
 */
export type CheckWorkerEvent = CheckStep | { type: 'check.steps'; steps: readonly CheckStep[] };

/** Where a check's steps go (its check actor). */
export type SendSteps = (event: CheckWorkerEvent) => void;

/** A check as a host gets it: its lifecycle input and, from the checks runner, its check ids. */
export type HostedCheck = LifecycleInput & {
  /** `<scanId>:<service id>` per service (what a remote host names the check by). */
  readonly checkIds?: readonly string[];
};

/**
 * Somewhere other than the engine's thread that can run the hooks of some types'
 * checks: check threads (src/threads), or scanners on other machines (src/scale-out).
 */
export interface CheckHookHost {
  /** Whether checks of `type` run here. */
  accepts(type: ServiceType): boolean;
  /** Runs one check's hooks, sending its steps to `send` (as startCheckWorker does). */
  run(input: HostedCheck, send: SendSteps): void;
}

/** Sends `steps` (in order) as one event: nothing for none, the step itself for one. */
export function sendSteps(send: SendSteps, steps: readonly CheckStep[]): void {
  if (steps.length === 1) send(steps[0]!);
  else if (steps.length > 1) send({ type: 'check.steps', steps });
}

/** Runs one check's hooks in this thread, sending its phases and the outcome to `send`. */
export function startCheckWorker(input: LifecycleInput, send: SendSteps): void {
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
