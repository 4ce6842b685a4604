/**
 * The work of a check actor: the hooks from resolveMulti to postCheck, in order, under
 * one deadline, reporting each phase as it starts. `control.cancel` aborts the check
 * (its actor was stopped). Each hook call is marked in `runningCheckHook`, and a
 * database handle refuses any use from here (see db-gate.ts). Never throws:
 * every failure becomes part of the outcome.
 */
import type { CheckLogSink } from '../check-session.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import type { HookTimings, Service } from '../types.js';
import { LifecycleRun, PHASES } from './lifecycle-run.js';
import type { Decided } from './outcome.js';

/** The lifecycle phases a check actor reports, in order. */
export type Phase = 'resolving' | 'preCheck' | 'checking' | 'postCheck';

/** What a check worker needs; plain data plus the type objects, no database. */
export interface LifecycleInput {
  /** One service (standard/multi) or every team's service (mass). */
  readonly services: readonly Service[];
  readonly type: ServiceType;
  readonly registry: ServiceRegistry;
  readonly logSink: CheckLogSink;
  /** Deadline of the whole check, milliseconds. */
  readonly timeoutMs: number;
  /** Time postCheck gets, from when it starts. Default min(1,000 ms, timeoutMs). */
  readonly postCheckGraceMs?: number;
  /** Aborts the check when the scan is stopped. */
  readonly signal?: AbortSignal;
  /** Told as each phase starts (the engine's events$ stream). */
  readonly onPhase?: (services: readonly Service[], phase: Phase) => void;
}

/** The outcome for one service of the check. */
export interface ServiceOutcome extends Decided {
  readonly serviceId: string;
}

/** Everything the check actor reports when it ends. */
export interface LifecycleOutcome {
  readonly resolvedType: string | undefined;
  readonly outcomes: readonly ServiceOutcome[];
  readonly warnings: readonly string[];
  readonly timings: HookTimings;
}

/**
 * Runs the lifecycle, calling `onPhase` as each phase starts. Mass types get the whole
 * list in preCheck/doMassCheck/postCheck; the others get their single service.
 */
export async function runLifecycle(
  input: LifecycleInput,
  onPhase: (phase: Phase, resolvedType?: string) => void,
  control: { cancel?: (reason: unknown) => void } = {},
): Promise<LifecycleOutcome> {
  const run = new LifecycleRun(input, onPhase);
  control.cancel = (reason) => run.deadline.abort(reason);
  try {
    for (const phase of PHASES) {
      const waiting = run.step(phase);
      if (waiting) await waiting;
    }
  } finally {
    run.deadline.dispose();
  }
  return run.outcome();
}

/** The outcome of a check that ended without running to the end: `error` for every service. */
export function endedWithError(services: readonly Service[], error: string, timedOut = false): LifecycleOutcome {
  return { resolvedType: undefined, outcomes: services.map((s) => ({ serviceId: s.id, score: 0, error, timedOut })), warnings: [], timings: {} };
}
