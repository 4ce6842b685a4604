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
  // Linked by hand: AbortSignal.any() on a scan-wide signal costs GC time per check.
  const stop = new AbortController();
  const parent = input.signal;
  const onParentAbort = () => stop.abort(parent?.reason);
  if (parent?.aborted) stop.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  const signal = stop.signal;
  let stoppedByActor = false;
  const ids = input.onPhase ? input.services.map((s) => s.id) : [];
  runLifecycle({ ...input, signal }, (phase, resolvedType) => {
    if (stoppedByActor) return;
    input.onPhase?.(ids, phase);
    sendBack({ type: `check.${phase}`, ...(resolvedType ? { resolvedType } : {}) });
  }).then(
    (outcome) => {
      parent?.removeEventListener('abort', onParentAbort);
      // Ended by the scan being stopped: still report, every check gets its result.
      if (!stoppedByActor) sendBack({ type: 'check.ended', outcome });
    },
    (err: unknown) => {
      parent?.removeEventListener('abort', onParentAbort);
      // runLifecycle does not throw; this guards the actor if it ever does.
      if (stoppedByActor) return;
      const outcomes = input.services.map((s) => ({ serviceId: s.id, score: 0, error: `internal error: ${errorMessage(err)}`, timedOut: false }));
      sendBack({ type: 'check.ended', outcome: { resolvedType: undefined, outcomes, warnings: [], timings: {} } });
    },
  );
  return () => {
    stoppedByActor = true;
    parent?.removeEventListener('abort', onParentAbort);
    stop.abort(new Error('check actor stopped'));
  };
});
