/**
 * `RemoteScannerHost`: the coordinator's side of distributed mode. It is a
 * `CheckHookHost`, plugged in where check threads are (the engine's `hookHost`): the
 * check actor, its team, startCheck/endCheck, the store and the inspector stay here,
 * and only a check's hooks from resolveMulti to postCheck go to a scanner, as one
 * pg-boss job on its zone's queue.
 *
 *   run(check) ─► outbox ─► insert (one statement a turn) ─► sk-checks[-zone-Z]
 *                                                                 │ scanners
 *   check actor ◄─ steps ◄─ reports loop ◄── sk-reports ◄─────────┘
 *
 * - **One result per check.** A job's id derives from its check ids (job-id.ts), so a
 *   job sent twice is one job; the first outcome for a pending check wins, and a late
 *   (after its deadline), duplicate (a re-run of an expired job) or other scan's
 *   outcome is dropped and counted (`dropped`).
 * - **Deadline.** Each check waits at most `waitMs` (the round's interval by default):
 *   long enough for pg-boss to expire the job of a killed scanner and hand it to
 *   another (expiry: the check's timeout + grace + EXPIRY_SLACK_S). A check with no
 *   result by then ends `interrupted`, counting for nobody, with the reason: no live
 *   scanner in its zone, its scanner stopped answering, or none returned a result.
 * - **No timer per check:** one sweep every SWEEP_MS while checks are pending.
 */
import type PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { errorMessage, ScorekeeperError } from '../errors.js';
import { sendSteps, type CheckHookHost, type CheckStep, type HostedCheck, type SendSteps } from '../lifecycle/check-worker.js';
import { endedWithError, type LifecycleOutcome } from '../lifecycle/outcome.js';
import { PHASES, type Phase } from '../lifecycle/states.js';
import type { ServiceRegistry } from '../registry.js';
import type { ServiceType } from '../service-type.js';
import type { Competition } from '../types.js';
import { expandService } from '../competition.js';
import { jobIdOf } from './job-id.js';
import { openQueue, sql } from './open-queue.js';
import { ANY_ZONE_QUEUE, QUEUE_SCHEMA, REPORTS_QUEUE, ZONE_NAME, zoneQueue } from './queue-names.js';
import type { JobReport, ReportBatch, ScanJob } from './scan-job.js';
import { clockOffset, ensureScannersTable, listScanners, type ScannerInfo } from './scanners-registry.js';

/** Seconds a job may stay active past its check's timeout and grace before pg-boss hands it to another scanner. */
export const EXPIRY_SLACK_S = 2;
/** How often pending checks are swept for their deadline. */
const SWEEP_MS = 250;
/** Reports are fetched this often while checks are pending (at once again after a full batch). */
const REPORT_POLL_MS = 100;
/** Report batches fetched at once. */
const REPORT_BATCH = 500;
/** How often the scanners registry is read while checks are pending. */
const SCANNERS_REFRESH_MS = 1000;

/** Options of a host. */
export interface RemoteScannerHostOptions {
  readonly registry: ServiceRegistry;
  readonly logger: Logger;
  /** How long a check waits for its result (ms): the round's interval. */
  readonly waitMs: number;
  /** Whether check log lines are wanted (else scanners do not send them). */
  readonly logsWanted: () => boolean;
}

/** Results the host dropped, by why. */
export interface DroppedReports {
  /** Outcome of a check already ended (its deadline passed, or the scan was stopped). */
  late: number;
  /** A second outcome of a check (a re-run of an expired job). */
  duplicate: number;
  /** Outcome of a job this coordinator did not send (a previous coordinator's scan). */
  otherScan: number;
}

/** A check waiting for its scanner. */
interface PendingCheck {
  readonly input: HostedCheck;
  readonly send: SendSteps;
  readonly queue: string;
  readonly zone: string | undefined;
  readonly deadlineAt: number;
  /** How long it waits in all (ms). */
  readonly waitMs: number;
  /** Index in PHASES of the last phase sent to the check actor; -1 for none. */
  phase: number;
  /** The scanner that last reported on it. */
  scanner: string | undefined;
}

/** What each phase may follow (the check actor's table, machines/checkActorLogic.ts). */
const FOLLOWS: Readonly<Record<Phase, readonly number[]>> = { resolving: [-1], preCheck: [0], checking: [1], postCheck: [1, 2] };

/** The coordinator's host of remote scanners. */
export class RemoteScannerHost implements CheckHookHost {
  /** Pending checks by job id. */
  private readonly pending = new Map<string, PendingCheck>();
  /** Job ids this host sent whose check ended (to tell late and duplicate from foreign reports). */
  private readonly ended = new Set<string>();
  /** Of those, the ones a scanner's outcome ended (a second outcome is a duplicate, not late). */
  private readonly answered = new Set<string>();
  private outbox: PgBoss.JobInsert[] = [];
  private finishedJobs = new Map<string, string[]>();
  private flushScheduled = false;
  private readonly listened = new WeakSet<AbortSignal>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private reportsTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private closed = false;
  private scannerList: readonly ScannerInfo[] = [];
  private scannersReadAt = 0;
  private readonly queues = new Set<string>([ANY_ZONE_QUEUE, REPORTS_QUEUE]);
  /** Reports dropped, by why. */
  readonly dropped: DroppedReports = { late: 0, duplicate: 0, otherScan: 0 };

  private constructor(
    private readonly boss: PgBoss,
    private readonly options: RemoteScannerHostOptions,
    /** The database's clock minus this machine's. */
    private readonly offsetMs: number,
  ) {}

  /**
   * Opens the queue at `databaseUrl` (installing pg-boss and the scanners registry in
   * QUEUE_SCHEMA), and clears what a previous coordinator left: jobs not finished and
   * reports not read belong to scans that ended with it, so no orphan job runs into
   * this coordinator's rounds.
   */
  static async start(databaseUrl: string, options: RemoteScannerHostOptions): Promise<RemoteScannerHost> {
    const boss = await openQueue(databaseUrl, 'coordinator', options.logger);
    try {
      await ensureScannersTable(boss);
      for (const name of [ANY_ZONE_QUEUE, REPORTS_QUEUE]) await ensureQueue(boss, name);
      const cleared = await sql<{ n: string }>(
        boss,
        `WITH gone AS (DELETE FROM ${QUEUE_SCHEMA}.job WHERE (name LIKE 'sk-checks%' AND state < 'completed') OR name = $1 RETURNING 1) SELECT count(*) AS n FROM gone`,
        [REPORTS_QUEUE],
      );
      const n = Number(cleared[0]?.n ?? 0);
      if (n > 0) options.logger.warn({ cleared: n }, `cleared ${n} jobs and reports left in the queue by a previous coordinator`);
      const host = new RemoteScannerHost(boss, options, await clockOffset(boss));
      await host.refreshScanners();
      return host;
    } catch (err) {
      await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Before a round: makes sure every zone of `competition` has its queue, and returns a
   * warning for each zone (or, without zones, the whole competition) with no live scanner.
   */
  async prepareRound(competition: Competition): Promise<string[]> {
    const zones = new Set<string | undefined>();
    for (const config of competition.services) {
      for (const team of competition.teams) {
        try {
          zones.add(expandService(config, team, competition).zone);
        } catch {
          // A template error fails that check when the round prepares it.
        }
      }
    }
    for (const zone of zones) {
      if (zone !== undefined && ZONE_NAME.test(zone)) await this.ensureZoneQueue(zone);
    }
    await this.refreshScanners();
    const warnings: string[] = [];
    for (const zone of zones) {
      if (!this.zoneIsLive(zone)) {
        warnings.push(
          zone === undefined
            ? 'no live scanner: checks without a zone will end interrupted at their deadline unless a scanner joins (scorekeeper scanner --config F)'
            : `no live scanner in zone '${zone}': its checks will end interrupted at their deadline unless one joins (scorekeeper scanner --config F --zone ${zone})`,
        );
      }
    }
    return warnings;
  }

  /** Types whose checks go to scanners: those registered from a module (built-in checks, plugins), which a scanner loads too. */
  accepts(type: ServiceType): boolean {
    const { registry } = this.options;
    if (registry.moduleOf(type.shortName) === undefined) return false;
    // A multi type may resolve to any type: every one must be loadable there.
    return type.kind !== 'multi' || registry.list().every((t) => registry.moduleOf(t.shortName) !== undefined);
  }

  /** Sends one check to its zone's scanners. */
  run(input: HostedCheck, send: SendSteps): void {
    const checkIds = input.checkIds ?? input.services.map((s) => s.id);
    const first = input.services[0]!;
    const zone = first.zone;
    if (this.closed || (zone !== undefined && !ZONE_NAME.test(zone))) {
      const why = this.closed ? 'the coordinator was closed' : `zone '${zone}' of ${first.id} is not a zone name (letters, digits, _ and -, at most 40)`;
      endWith(send, -1, endedWithError(input.services, why));
      return;
    }
    const id = jobIdOf(checkIds);
    const scanId = scanIdOf(checkIds[0] ?? '', first.id);
    const grace = input.postCheckGraceMs ?? Math.min(1000, input.timeoutMs);
    const now = this.now();
    const waitMs = Math.max(this.options.waitMs, input.timeoutMs + grace + (EXPIRY_SLACK_S + 1) * 1000);
    const deadlineAt = now + waitMs;
    const queue = zoneQueue(zone);
    this.pending.set(id, { input, send, queue, zone, deadlineAt, waitMs, phase: -1, scanner: undefined });
    const data: ScanJob = {
      scanId,
      type: input.type.shortName,
      services: input.services,
      timeoutMs: input.timeoutMs,
      ...(input.postCheckGraceMs !== undefined ? { postCheckGraceMs: input.postCheckGraceMs } : {}),
      deadlineAt,
      logs: this.options.logsWanted(),
    };
    this.outbox.push({
      id,
      name: queue,
      data,
      singletonKey: id,
      // A killed scanner's job is expired by pg-boss's maintenance and fetched again by
      // another scanner, as often as the deadline allows (a scanner starts a job only
      // if it can end before the deadline).
      expireInSeconds: Math.ceil((input.timeoutMs + grace) / 1000) + EXPIRY_SLACK_S,
      retryLimit: 5,
      retryDelay: 0,
    });
    if (zone !== undefined && !this.queues.has(queue)) void this.ensureZoneQueue(zone).then(() => this.scheduleFlush());
    else this.scheduleFlush();
    const { signal } = input;
    if (signal && !this.listened.has(signal)) {
      this.listened.add(signal);
      signal.addEventListener('abort', () => this.cancelAll(signal), { once: true });
    }
    this.sweepTimer ??= setInterval(() => this.sweep(), SWEEP_MS).unref();
    this.pollReportsSoon(0);
    if (signal?.aborted) queueMicrotask(() => this.cancelAll(signal));
  }

  /** The scanners registry as last read. */
  scanners(): readonly ScannerInfo[] {
    return this.scannerList;
  }

  /** Reads the scanners registry now. */
  async refreshScanners(): Promise<readonly ScannerInfo[]> {
    this.scannersReadAt = Date.now();
    try {
      this.scannerList = await listScanners(this.boss);
    } catch (err) {
      this.options.logger.warn({ err: errorMessage(err) }, `could not read the scanners registry: ${errorMessage(err)}`);
    }
    return this.scannerList;
  }

  /** Checks sent and not yet ended. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Ends what is pending (interrupted: the coordinator closed) and closes the queue. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.sweepTimer);
    clearTimeout(this.reportsTimer);
    for (const [id, check] of this.pending) this.interrupt(id, check, 'the coordinator was closed while the check waited for its scanner');
    await this.deleteFinished();
    await this.boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
  }

  private now(): number {
    return Date.now() + this.offsetMs;
  }

  private async ensureZoneQueue(zone: string): Promise<void> {
    const queue = zoneQueue(zone);
    if (this.queues.has(queue)) return;
    await ensureQueue(this.boss, queue);
    this.queues.add(queue);
  }

  private zoneIsLive(zone: string | undefined): boolean {
    // A zone's checks are taken by that zone's scanners; zone-less ones by any scanner.
    return this.scannerList.some((s) => s.alive && (zone === undefined || s.zone === zone));
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  /** Sends the outbox (jobs of queues that exist) in one statement. */
  private async flush(): Promise<void> {
    this.flushScheduled = false;
    const ready = this.outbox.filter((job) => this.queues.has(job.name) && this.pending.has(job.id!));
    if (ready.length === 0) return;
    const sent = new Set(ready);
    this.outbox = this.outbox.filter((job) => !sent.has(job) && this.pending.has(job.id!));
    try {
      await this.boss.insert(ready);
    } catch (err) {
      // The queue's database is unreachable: try again shortly; the deadline still ends
      // the check (interrupted) if it never gets through.
      this.options.logger.warn({ err: errorMessage(err), jobs: ready.length }, `could not send ${ready.length} checks to the queue: ${errorMessage(err)}; retrying`);
      this.outbox.unshift(...ready);
      setTimeout(() => this.scheduleFlush(), 500).unref();
    }
  }

  private pollReportsSoon(ms: number): void {
    if (this.closed || this.polling || this.reportsTimer) return;
    this.reportsTimer = setTimeout(() => {
      this.reportsTimer = undefined;
      void this.pollReports();
    }, ms);
  }

  /** Fetches report batches until none are left, then again every REPORT_POLL_MS while checks are pending. */
  private async pollReports(): Promise<void> {
    this.polling = true;
    let full = false;
    try {
      const jobs = await this.boss.fetch<ReportBatch>(REPORTS_QUEUE, { batchSize: REPORT_BATCH });
      full = jobs.length === REPORT_BATCH;
      for (const job of jobs) this.receive(job.data);
      if (jobs.length > 0) await this.boss.deleteJob(REPORTS_QUEUE, jobs.map((j) => j.id));
      await this.deleteFinished();
    } catch (err) {
      this.options.logger.warn({ err: errorMessage(err) }, `could not read reports from the queue: ${errorMessage(err)}`);
    } finally {
      this.polling = false;
    }
    if (this.pending.size > 0 || full) this.pollReportsSoon(full ? 0 : REPORT_POLL_MS);
  }

  private receive(batch: ReportBatch): void {
    for (const report of batch.reports) this.apply(batch.scanner, report);
  }

  /** Applies one report: phases the check actor has not had yet, log lines, and the first outcome. */
  private apply(scanner: string, report: JobReport): void {
    const check = this.pending.get(report.job);
    if (!check) {
      if (report.outcome) this.dropped[this.answered.has(report.job) ? 'duplicate' : this.ended.has(report.job) ? 'late' : 'otherScan']++;
      return;
    }
    check.scanner = scanner;
    const { input } = check;
    const steps: CheckStep[] = [];
    for (const phase of report.phases ?? []) {
      const index = PHASES.indexOf(phase);
      if (index <= check.phase || !FOLLOWS[phase].includes(check.phase)) continue;
      check.phase = index;
      input.onPhase?.(input.services, phase);
      steps.push(report.resolvedType && phase !== 'resolving' ? { type: `check.${phase}`, resolvedType: report.resolvedType } : { type: `check.${phase}` });
    }
    for (const line of report.logs ?? []) input.logSink(input.services[line.service] ?? input.services[0]!, line.line);
    sendSteps(check.send, steps);
    if (report.outcome) this.finish(report.job, check, { ...report.outcome, scanner });
  }

  private finish(id: string, check: PendingCheck, outcome: LifecycleOutcome, answered = true): void {
    this.pending.delete(id);
    this.ended.add(id);
    if (answered) {
      // Its scanner completes the job; pg-boss archives and deletes it within a minute.
      this.answered.add(id);
    } else {
      // Not answered (deadline, stop): deleted now, so no scanner runs it after all.
      const ids = this.finishedJobs.get(check.queue) ?? [];
      ids.push(id);
      this.finishedJobs.set(check.queue, ids);
    }
    endWith(check.send, check.phase, outcome);
    if (this.ended.size > 200_000) {
      // Remembered for late reports of recent rounds; older ones count as another scan's.
      this.ended.clear();
      this.answered.clear();
    }
  }

  /** Ends a check with no verdict (counts for nobody): `reason` for every service. */
  private interrupt(id: string, check: PendingCheck, reason: string): void {
    const outcome = endedWithError(check.input.services, reason);
    this.finish(id, check, { ...outcome, outcomes: outcome.outcomes.map((o) => ({ ...o, interrupted: true })), ...(check.scanner ? { scanner: check.scanner } : {}) }, false);
  }

  /** Deletes the jobs of ended checks: their data (with credentials) leaves the queue. */
  private async deleteFinished(): Promise<void> {
    const batches = this.finishedJobs;
    if (batches.size === 0) return;
    this.finishedJobs = new Map();
    for (const [queue, ids] of batches) await this.boss.deleteJob(queue, ids);
  }

  /** Ends the checks listening to `signal` (a stopped scan or team); their jobs are deleted. */
  private cancelAll(signal: AbortSignal): void {
    const message = errorMessage(signal.reason ?? 'stopped');
    for (const [id, check] of this.pending) {
      if (check.input.signal === signal) this.finish(id, check, endedWithError(check.input.services, message), false);
    }
    void this.deleteFinished().catch(() => undefined);
  }

  /** Ends checks past their deadline, interrupted, with why no scanner answered. */
  private sweep(): void {
    if (this.pending.size === 0) {
      clearInterval(this.sweepTimer);
      this.sweepTimer = undefined;
      return;
    }
    if (Date.now() - this.scannersReadAt >= SCANNERS_REFRESH_MS) void this.refreshScanners();
    const now = this.now();
    for (const [id, check] of this.pending) {
      if (now >= check.deadlineAt) this.interrupt(id, check, this.whyLost(check));
    }
  }

  private whyLost(check: PendingCheck): string {
    const waited = `${Math.round(check.waitMs / 1000)} s`;
    if (check.scanner) {
      const holder = this.scannerList.find((s) => s.id === check.scanner);
      if (!holder?.alive) return `scanner ${check.scanner} stopped answering while it ran the check, and no other scanner could run it again in time`;
      return `scanner ${check.scanner} returned no result within the round (${waited})`;
    }
    if (!this.zoneIsLive(check.zone)) return check.zone === undefined ? 'no live scanner' : `no live scanner in zone '${check.zone}'`;
    return `no scanner took the check within the round (${waited})`;
  }
}

/** Sends the steps that take a check actor from phase index `phase` to ended with `outcome`. */
function endWith(send: SendSteps, phase: number, outcome: LifecycleOutcome): void {
  // The check actor takes its end from resolving or postCheck only (CHECK_TRANSITIONS).
  const steps: CheckStep[] = [];
  if (phase === -1) steps.push({ type: 'check.resolving' });
  else if (phase === 1 || phase === 2) steps.push({ type: 'check.postCheck' });
  steps.push({ type: 'check.ended', outcome });
  sendSteps(send, steps);
}

/** The scan id of check id `<scanId>:<serviceId>`. */
function scanIdOf(checkId: string, serviceId: string): string {
  return checkId.endsWith(`:${serviceId}`) ? checkId.slice(0, -serviceId.length - 1) : checkId;
}

/** Creates queue `name` unless it exists. */
async function ensureQueue(boss: PgBoss, name: string): Promise<void> {
  if (await boss.getQueue(name)) return;
  try {
    await boss.createQueue(name);
  } catch (err) {
    // Another coordinator (a restart racing the old one) created it first.
    if (!(await boss.getQueue(name))) throw new ScorekeeperError('SK_QUEUE', `could not create queue ${name}: ${errorMessage(err)}`, { cause: err });
  }
}
