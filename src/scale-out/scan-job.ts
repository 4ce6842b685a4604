/**
 * What the coordinator and its scanners say to each other through the queue: a job per
 * check (the hooks from resolveMulti to postCheck, as a check thread gets them), and
 * batches of reports back (phases started, log lines, the outcome), one queue job per
 * batch. Plain JSON: both sides may run different builds of the same release.
 */
import type { CheckLogLine } from '../check-log-line.js';
import type { LifecycleOutcome } from '../lifecycle/outcome.js';
import type { Phase } from '../lifecycle/states.js';
import type { Service } from '../types.js';

/** One check for a scanner. */
export interface ScanJob {
  /** The scan (round) it belongs to. */
  readonly scanId: string;
  /** Short name of the configured type. */
  readonly type: string;
  /** The check's services, credentials filled in (the queue's schema holds secrets while the job lives). */
  readonly services: readonly Service[];
  readonly timeoutMs: number;
  readonly postCheckGraceMs?: number;
  /**
   * Epoch ms (the database's clock) after which the coordinator no longer waits for
   * this check: a scanner starts it only if it can end before then.
   */
  readonly deadlineAt: number;
  /** Whether log lines are wanted. */
  readonly logs: boolean;
}

/** A log line of a check: the index of its service in the job, and what `log()` said. */
export interface ReportLogLine {
  readonly service: number;
  readonly line: CheckLogLine;
}

/** What a scanner says about one job since its last batch. */
export interface JobReport {
  /** The job id (job-id.ts). */
  readonly job: string;
  readonly scanId: string;
  phases?: Phase[];
  resolvedType?: string;
  logs?: ReportLogLine[];
  outcome?: LifecycleOutcome;
}

/** One queue job on REPORTS_QUEUE: a scanner's reports of one flush. */
export interface ReportBatch {
  readonly scanner: string;
  readonly reports: readonly JobReport[];
}
