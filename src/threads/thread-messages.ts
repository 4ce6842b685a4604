/**
 * What the engine and its check threads say to each other. Messages are batched both
 * ways (one postMessage per turn of the event loop), since a structured-clone round
 * trip per check would cost more than the check.
 */
import type { CheckLogLine } from '../check-log-line.js';
import type { LifecycleOutcome } from '../lifecycle/outcome.js';
import type { Phase } from '../lifecycle/states.js';
import type { Service } from '../types.js';

/** workerData of a check thread: the modules whose types it registers. */
export interface CheckThreadData {
  /** Plugin checks modules (file paths) and BUILTIN_CHECKS_MODULE. */
  readonly modules: readonly string[];
}

/** One check for a thread to run: the hooks from resolveMulti to postCheck. */
export interface ThreadJob {
  readonly id: number;
  /** Short name of the configured type. */
  readonly type: string;
  readonly services: readonly Service[];
  /** The engine's number of each service's params object (params-ids.ts), parallel to `services`. */
  readonly paramsIds: readonly number[];
  readonly timeoutMs: number;
  readonly postCheckGraceMs?: number;
  /** Whether log lines are wanted (the engine's logger writes info lines). */
  readonly logs: boolean;
}

/** Why the engine cancelled jobs (a stopped scan or team), rebuilt as an error there. */
export interface CancelReason {
  readonly code?: string;
  readonly message: string;
}

/** Engine → thread. */
export type ToThread =
  | { readonly kind: 'jobs'; readonly jobs: readonly ThreadJob[] }
  | { readonly kind: 'cancel'; readonly ids: readonly number[]; readonly reason: CancelReason };

/** A log line of a job: the index of its service in the job, and what `log()` said. */
export interface JobLogLine {
  readonly service: number;
  readonly line: CheckLogLine;
}

/**
 * What a thread reports about one job since its last message: phases started (in
 * order), log lines, and the outcome once it ended. One report per job per message: a
 * check whose hooks answer at once sends one report in all.
 */
export interface JobReport {
  readonly id: number;
  phases?: Phase[];
  resolvedType?: string;
  logs?: JobLogLine[];
  outcome?: LifecycleOutcome;
}

/** Thread → engine. */
export type FromThread =
  | { readonly kind: 'ready'; readonly types: readonly string[]; readonly failures: readonly string[] }
  | { readonly kind: 'reports'; readonly reports: readonly JobReport[] };
