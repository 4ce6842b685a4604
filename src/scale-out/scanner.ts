/**
 * `Scanner`: the remote side of distributed mode (`scorekeeper scanner`). It works its
 * zone's queue and the zone-less one, runs each job's hooks from resolveMulti to
 * postCheck (runLifecycle, as a check thread does) with up to `concurrency` at once,
 * and sends back what happened in batches: phases started, log lines, the outcome. It
 * never touches the competition's tables: only the queue's schema.
 *
 * - **Fetching.** Its own loop over pg-boss `fetch` (not `work`, whose next fetch waits
 *   for the whole batch: one black-holed check would hold up the others), asking for as
 *   many jobs as it has free places; it polls every POLL_MS when the queues are empty.
 * - **Deadlines.** A job names the time after which the coordinator no longer waits
 *   for it; a job that can no longer end before then (a previous coordinator's, or one
 *   expired too late) is dropped unrun. The check's own timeout is as configured, so
 *   results are the ones a local scan gives.
 * - **Reports before completion.** A job is completed in pg-boss only after its
 *   report is in the queue: a scanner killed in between leaves a job that expires and
 *   runs again elsewhere, and the coordinator keeps the first outcome.
 * - **Stopping.** `stop()` takes no more jobs, finishes the ones held, sends their
 *   reports, and leaves the registry.
 */
import { hostname } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { freezeDeep } from '../check-data.js';
import { errorMessage } from '../errors.js';
import { endedWithError, type LifecycleOutcome } from '../lifecycle/outcome.js';
import { runLifecycle, type LifecycleInput } from '../lifecycle/run-lifecycle.js';
import type { Phase } from '../lifecycle/states.js';
import type { ServiceRegistry } from '../registry.js';
import { queuesOfScanner, REPORTS_QUEUE } from './queue-names.js';
import type { JobReport, ReportBatch, ScanJob } from './scan-job.js';
import { beat, clockOffset, HEARTBEAT_MS, leave } from './scanners-registry.js';

/** How often empty queues are polled. */
export const POLL_MS = 100;
/** Reports wait this long to be sent together. */
const REPORT_FLUSH_MS = 25;
/** Reports in one queue job at most. */
const REPORTS_PER_BATCH = 500;
/** Time a report needs to reach the coordinator, kept free before a job's deadline. */
const REPORT_SLACK_MS = 1000;

/** Options of a scanner. */
export interface ScannerOptions {
  readonly boss: PgBoss;
  readonly registry: ServiceRegistry;
  readonly logger: Logger;
  /** Its zone; undefined: it serves only services without a zone. */
  readonly zone?: string;
  /** Checks running at once. */
  readonly concurrency: number;
  /** Its name in the registry and in results. Default `<hostname>/<pid>`. */
  readonly id?: string;
}

/** A job being run. */
interface HeldJob {
  readonly queue: string;
  readonly id: string;
  readonly scanId: string;
}

/** A scanner working the queue. */
export class Scanner {
  readonly id: string;
  private readonly queues: readonly string[];
  private readonly held = new Map<string, HeldJob>();
  private outbox = new Map<string, JobReport>();
  /** Jobs whose outcome is in the outbox: completed once their report is sent. */
  private toComplete: HeldJob[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly lag = monitorEventLoopDelay({ resolution: 20 });
  private offsetMs = 0;
  private stopping = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  /** Checks run since start. */
  ran = 0;
  /** Jobs dropped unrun because they could no longer end before their deadline. */
  expired = 0;

  constructor(private readonly options: ScannerOptions) {
    this.id = options.id ?? `${hostname()}/${process.pid}`;
    this.queues = queuesOfScanner(options.zone);
  }

  /** Joins the registry and starts taking jobs. */
  async start(): Promise<void> {
    this.offsetMs = await clockOffset(this.options.boss);
    this.lag.enable();
    await this.beat();
    this.heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    this.loop = this.work();
  }

  /** Takes no more jobs, finishes the ones held, sends their reports and leaves the registry. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    while (this.held.size > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    await this.flush();
    clearInterval(this.heartbeat);
    this.lag.disable();
    await leave(this.options.boss, this.id).catch(() => undefined);
  }

  /** Checks held now. */
  get holding(): number {
    return this.held.size;
  }

  private async beat(): Promise<void> {
    const lagMs = this.lag.percentile(99) / 1e6;
    this.lag.reset();
    try {
      await beat(this.options.boss, {
        id: this.id,
        zone: this.options.zone,
        host: hostname(),
        pid: process.pid,
        concurrency: this.options.concurrency,
        held: this.held.size,
        ran: this.ran,
        lagMs: Number.isFinite(lagMs) ? lagMs : 0,
        stopping: this.stopping,
      });
    } catch (err) {
      this.options.logger.warn({ err: errorMessage(err) }, `heartbeat failed: ${errorMessage(err)}`);
    }
  }

  private async work(): Promise<void> {
    const { boss, concurrency } = this.options;
    while (!this.stopping) {
      let free = concurrency - this.held.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      let got = 0;
      for (const queue of this.queues) {
        if (free <= 0 || this.stopping) break;
        const jobs = await boss.fetch<ScanJob>(queue, { batchSize: free });
        got += jobs.length;
        free -= jobs.length;
        for (const job of jobs) this.take(queue, job);
      }
      if (got === 0 && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  /** Runs one fetched job, or drops it when it can no longer end before its deadline. */
  private take(queue: string, job: PgBoss.Job<ScanJob>): void {
    const data = job.data;
    const held: HeldJob = { queue, id: job.id, scanId: data.scanId };
    const grace = data.postCheckGraceMs ?? Math.min(1000, data.timeoutMs);
    if (Date.now() + this.offsetMs + data.timeoutMs + grace + REPORT_SLACK_MS > data.deadlineAt) {
      this.expired++;
      this.toComplete.push(held);
      this.scheduleFlush();
      return;
    }
    this.held.set(job.id, held);
    const report = (): JobReport => this.reportOf(job.id, data.scanId);
    if (!this.options.registry.has(data.type)) {
      this.end(held, endedWithError(data.services, `check type '${data.type}' is not loaded on scanner ${this.id}`));
      return;
    }
    // The job is this scanner's own copy (parsed JSON): hooks see check.data read-only, as in the engine.
    for (const service of data.services) freezeDeep(service.data);
    const input: LifecycleInput = {
      services: data.services,
      type: this.options.registry.get(data.type),
      registry: this.options.registry,
      logSink: data.logs ? (service, line) => (report().logs ??= []).push({ service: data.services.indexOf(service), line }) : () => undefined,
      timeoutMs: data.timeoutMs,
      ...(data.postCheckGraceMs !== undefined ? { postCheckGraceMs: data.postCheckGraceMs } : {}),
    };
    const onPhase = (phase: Phase, resolvedType?: string) => {
      const r = report();
      (r.phases ??= []).push(phase);
      if (resolvedType) r.resolvedType = resolvedType;
    };
    runLifecycle(input, onPhase).then(
      (outcome) => this.end(held, outcome),
      // runLifecycle does not throw; this keeps the coordinator's check from waiting for nothing.
      (err: unknown) => this.end(held, endedWithError(data.services, `internal error: ${errorMessage(err)}`)),
    );
  }

  private end(job: HeldJob, outcome: LifecycleOutcome): void {
    this.reportOf(job.id, job.scanId).outcome = outcome;
    this.held.delete(job.id);
    this.toComplete.push(job);
    this.ran++;
    this.wake?.();
  }

  private reportOf(id: string, scanId: string): JobReport {
    let report = this.outbox.get(id);
    if (!report) {
      this.outbox.set(id, (report = { job: id, scanId }));
      this.scheduleFlush();
    }
    return report;
  }

  private scheduleFlush(): void {
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, REPORT_FLUSH_MS);
  }

  /** Sends the outbox, then completes the jobs it ended; one flush at a time. */
  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.outbox.size === 0 && this.toComplete.length === 0) return;
    this.flushing = this.send().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  private async send(): Promise<void> {
    const { boss } = this.options;
    const reports = [...this.outbox.values()];
    const completing = this.toComplete;
    this.outbox = new Map();
    this.toComplete = [];
    try {
      if (reports.length > 0) {
        const batches: PgBoss.JobInsert<ReportBatch>[] = [];
        for (let i = 0; i < reports.length; i += REPORTS_PER_BATCH) batches.push({ name: REPORTS_QUEUE, data: { scanner: this.id, reports: reports.slice(i, i + REPORTS_PER_BATCH) } });
        await boss.insert(batches);
      }
    } catch (err) {
      // The queue's database is unreachable: keep everything for the next try (the jobs
      // are not completed, so if this scanner dies they run again elsewhere).
      this.options.logger.warn({ err: errorMessage(err), reports: reports.length }, `could not send ${reports.length} reports: ${errorMessage(err)}; retrying`);
      for (const r of reports) if (!this.outbox.has(r.job)) this.outbox.set(r.job, r);
      this.toComplete.unshift(...completing);
      setTimeout(() => this.scheduleFlush(), 500).unref();
      return;
    }
    const byQueue = new Map<string, string[]>();
    for (const job of completing) {
      const ids = byQueue.get(job.queue);
      if (ids) ids.push(job.id);
      else byQueue.set(job.queue, [job.id]);
    }
    for (const [queue, ids] of byQueue) {
      // The coordinator may have deleted the job already (its result arrived): nothing to complete then.
      await boss.complete(queue, ids).catch((err: unknown) => this.options.logger.debug({ err: errorMessage(err) }, 'complete failed'));
    }
  }
}
