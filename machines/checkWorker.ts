/**
 * The worker child of a check actor: runs the lifecycle hooks (src/lifecycle) and tells
 * its parent machine as each phase starts and when it ends. One callback actor per check
 * instead of one promise actor per state halves the actor count (measured: ~120 µs vs
 * ~230 µs per check, see docs/benchmarks.md). Failures never escape as exceptions.
 */
import { fromCallback } from 'xstate';
import { errorMessage } from '../src/errors.js';
import { runLifecycle, type LifecycleInput, type LifecycleOutcome, type Phase } from '../src/lifecycle/run-lifecycle.js';

/** Events a check worker sends to its check actor. */
export type CheckWorkerEvent =
  | { type: `check.${Phase}`; resolvedType?: string }
  | { type: 'check.ended'; outcome: LifecycleOutcome };

/** Runs one check's hooks; stopping the actor aborts the check's signal. */
export const checkWorker = fromCallback<{ type: 'noop' }, LifecycleInput>(({ input, sendBack }) => {
  // The lifecycle's own deadline is the only AbortController of a check: stopping the
  // actor cancels it (fewer controllers and listeners per check, measured in bench/).
  const control: { cancel?: (reason: unknown) => void } = {};
  let stoppedByActor = false;
  const ids = input.onPhase ? input.services.map((s) => s.id) : [];
  runLifecycle(
    input,
    (phase, resolvedType) => {
      if (stoppedByActor) return;
      input.onPhase?.(ids, phase);
      sendBack({ type: `check.${phase}`, ...(resolvedType ? { resolvedType } : {}) });
    },
    control,
  ).then(
    (outcome) => {
      // Ended by the scan being stopped: still report, every check gets its result.
      if (!stoppedByActor) sendBack({ type: 'check.ended', outcome });
    },
    (err: unknown) => {
      // runLifecycle does not throw; this guards the actor if it ever does.
      if (stoppedByActor) return;
      const outcomes = input.services.map((s) => ({ serviceId: s.id, score: 0, error: `internal error: ${errorMessage(err)}`, timedOut: false }));
      sendBack({ type: 'check.ended', outcome: { resolvedType: undefined, outcomes, warnings: [], timings: {} } });
    },
  );
  return () => {
    stoppedByActor = true;
    control.cancel?.(new Error('check actor stopped'));
  };
});
