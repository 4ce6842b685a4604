/**
 * A Store decorator for a database that comes and goes (competition day: the red team,
 * a flapping network, a restarted server). Every call is retried with backoff while
 * its failure is transient (lost connection, refused connection, 57P01 admin shutdown,
 * SQLSTATE class 08, an attempt that does not answer) for up to `retryForMs`; any
 * other failure (a constraint violation...) is thrown at once.
 *
 *   up ──(transient failure)──► retrying ──(answer)──► up        (logged, in takeIssues)
 *                                  └──(retryForMs spent)──► down
 *   down: each call makes one attempt (at most probeMs); on success ──► up, else it gives up at once
 *
 * When the budget is spent, the writes whose loss would lose results (checks started,
 * results, scan summaries) go to the recovery file (JSON lines, see
 * src/recovery/recovery-file.ts) and the call succeeds, so the scan still ends; a
 * result whose check start went to the file follows it there. Other calls (beginScan,
 * reads, external reports) throw a StoreError. `scorekeeper recover FILE` imports the
 * file later, without duplicates.
 *
 * Every other member of the inner store (the CLI's queries, `migrate`, `db`...) passes
 * through untouched, so the decorated store can stand in for the inner one.
 */
import type { Logger } from 'pino';
import { StoreError, errorMessage, formatSeconds } from '../errors.js';
import { isTransientStoreError, isUniqueViolation, markUnanswered } from './is-transient.js';
import { appendRecoveryEntries, startedCheckOf, type RecoveryEntry } from './recovery-file.js';
import type { CheckRecord, CheckResult, ScanSummary } from '../types.js';
import type { Store } from '../store/store.js';

/** Options of {@link createResilientStore}. */
export interface ResilientStoreOptions {
  /** How long one call keeps retrying transient failures before giving up. */
  readonly retryForMs: number;
  /** JSON-lines file that takes the writes the database did not take in time. */
  readonly recoveryFile: string;
  /** Where outages are logged. Default: nowhere. */
  readonly logger?: Logger;
  /** First wait between two attempts (doubles each time). Default 50 ms. */
  readonly initialBackoffMs?: number;
  /** Longest wait between two attempts. Default 1,000 ms. */
  readonly maxBackoffMs?: number;
  /** Longest single attempt while the database is known to be down. Default min(1 s, retryForMs). */
  readonly probeMs?: number;
}

/** What the decorator adds to the inner store. */
export interface Resilience {
  /** The recovery file writes go to when the database stays down. */
  readonly recoveryFile: string;
  /** Whether the last call gave up on the database (it is known to be down). */
  readonly isDown: boolean;
  /** Outages, retries and diverted writes since the last call, plus the inner store's issues. */
  takeIssues(): string[];
}

/** How a call behaves when its budget is spent. */
type GiveUp<T> = ((err: unknown) => T) | undefined;

/** Decorates `inner` with retries and a recovery file (see the module comment). */
export function createResilientStore<S extends Store>(inner: S, options: ResilientStoreOptions): S & Resilience {
  const core = new ResilienceCore(inner, options);
  const own: Record<string | symbol, unknown> = {
    init: () => core.call('init', () => inner.init()),
    syncCompetition: (c: Parameters<Store['syncCompetition']>[0]) => core.call(`syncCompetition '${c.name}'`, () => inner.syncCompetition(c)),
    beginScan: (competition: string, startedAt: number) => core.call(`beginScan '${competition}'`, () => inner.beginScan(competition, startedAt)),
    checksStarted: (checks: readonly CheckRecord[]) => core.checksStarted(checks),
    checksFinished: (results: readonly CheckResult[]) => core.checksFinished(results),
    endScan: (summary: ScanSummary) => core.endScan(summary),
    teamInfo: (competition: string, round: number) => core.call(`teamInfo '${competition}'`, () => inner.teamInfo(competition, round)),
    recordExternal: (report: Parameters<Store['recordExternal']>[0]) => core.call('recordExternal', () => inner.recordExternal(report)),
    externalReports: (query: Parameters<Store['externalReports']>[0]) => core.call('externalReports', () => inner.externalReports(query)),
    takeIssues: () => core.takeIssues(),
    close: () => inner.close(),
  };
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'recoveryFile') return options.recoveryFile;
      if (prop === 'isDown') return core.down;
      if (Object.hasOwn(own, prop)) return own[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has: (target, prop) => prop === 'recoveryFile' || prop === 'isDown' || prop === 'takeIssues' || Reflect.has(target, prop),
  }) as S & Resilience;
}

/** The retry loop, the outage bookkeeping and the recovery file. */
class ResilienceCore {
  down = false;
  private readonly log: Logger | undefined;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly probeMs: number;
  /** Start of the outage in progress (first failure of a call still retrying). */
  private outageSince: number | undefined;
  private outageFailures = 0;
  /** Checks whose start went to the recovery file: their results follow. */
  private readonly divertedStarts = new Set<string>();
  private issues: string[] = [];
  private divertedSinceTake = { started: 0, results: 0, scans: 0 };

  constructor(
    private readonly inner: Store,
    private readonly options: ResilientStoreOptions,
  ) {
    this.log = options.logger;
    this.initialBackoff = options.initialBackoffMs ?? 50;
    this.maxBackoff = options.maxBackoffMs ?? 1000;
    this.probeMs = options.probeMs ?? Math.min(1000, options.retryForMs);
  }

  /**
   * Runs `op`, retrying transient failures with backoff until the budget is spent; then
   * calls `giveUp` (or throws a StoreError). `duplicateMeansDone`: a unique violation
   * after an attempt whose outcome is unknown means that attempt committed.
   */
  async call<T>(what: string, op: (signal: AbortSignal) => Promise<T>, giveUp?: GiveUp<T>, duplicateMeansDone = false): Promise<T> {
    const started = Date.now();
    // Known down: one attempt (bounded by probeMs) tells whether it is back; no retries.
    const probing = this.down;
    const deadline = started + (probing ? this.probeMs : this.options.retryForMs);
    let attempts = 0;
    let unknownOutcome = false;
    for (;;) {
      attempts++;
      try {
        const value = await answerWithin(op, deadline - Date.now(), what);
        this.reachable(what);
        return value;
      } catch (err) {
        if (!isTransientStoreError(err)) {
          if (duplicateMeansDone && unknownOutcome && isUniqueViolation(err)) {
            this.reachable(what);
            return undefined as T;
          }
          throw err;
        }
        unknownOutcome = true;
        this.unreachable(what, err);
        const wait = probing ? 0 : Math.min(this.initialBackoff * 2 ** (attempts - 1), this.maxBackoff, deadline - Date.now());
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, wait));
          continue;
        }
        if (!this.down) {
          this.down = true;
          this.log?.error({ what, attempts, err: errorMessage(err) }, `database still unreachable after ${formatSeconds((Date.now() - started) / 1000)} s: ${what} gave up (${errorMessage(err)})`);
        }
        if (giveUp) return giveUp(err);
        throw new StoreError(`${what}: the database stayed unreachable for ${formatSeconds((Date.now() - started) / 1000)} s (${attempts} attempts): ${errorMessage(err)}`, { cause: err });
      }
    }
  }

  async checksStarted(checks: readonly CheckRecord[]): Promise<void> {
    if (checks.length === 0) return;
    await this.call(`checksStarted (${checks.length} checks)`, (signal) => this.inner.checksStarted(checks, { signal }), () => {
      this.divert(checks.map((record) => ({ v: 1, kind: 'started', at: Date.now(), check: startedCheckOf(record) })));
      for (const record of checks) this.divertedStarts.add(record.id);
      this.divertedSinceTake.started += checks.length;
    }, true);
  }

  async checksFinished(results: readonly CheckResult[]): Promise<void> {
    const toFile = results.filter((r) => this.divertedStarts.has(r.checkId));
    const toDb = toFile.length === 0 ? results : results.filter((r) => !this.divertedStarts.has(r.checkId));
    if (toFile.length > 0) this.divertResults(toFile);
    if (toDb.length === 0) return;
    await this.call(`checksFinished (${toDb.length} results)`, (signal) => this.inner.checksFinished(toDb, { signal }), () => this.divertResults(toDb));
  }

  async endScan(summary: ScanSummary): Promise<void> {
    await this.call(`endScan ${summary.scanId}`, () => this.inner.endScan(summary), () => {
      this.divert([{ v: 1, kind: 'scanEnded', at: Date.now(), summary }]);
      this.divertedSinceTake.scans++;
    });
  }

  takeIssues(): string[] {
    const issues = [...this.issues];
    this.issues = [];
    const { started, results, scans } = this.divertedSinceTake;
    if (started + results + scans > 0) {
      const parts = [results && `${results} results`, started && `${started} check starts`, scans && `${scans} scan summaries`].filter(Boolean).join(', ');
      issues.push(`the database stayed unreachable: ${parts} were written to the recovery file ${this.options.recoveryFile}; import them with 'scorekeeper recover ${this.options.recoveryFile}'`);
      this.divertedSinceTake = { started: 0, results: 0, scans: 0 };
    }
    if (this.outageSince !== undefined) {
      issues.push(`the database has been unreachable for ${formatSeconds((Date.now() - this.outageSince) / 1000)} s (${this.outageFailures} failed attempts so far)`);
    }
    return [...issues, ...(this.inner.takeIssues?.() ?? [])];
  }

  private divertResults(results: readonly CheckResult[]): void {
    this.divert(results.map((result) => ({ v: 1, kind: 'finished', at: Date.now(), result })));
    this.divertedSinceTake.results += results.length;
  }

  private divert(entries: RecoveryEntry[]): void {
    appendRecoveryEntries(this.options.recoveryFile, entries);
    this.log?.error({ entries: entries.length, file: this.options.recoveryFile }, `wrote ${entries.length} ${entries[0]!.kind} entries to the recovery file ${this.options.recoveryFile}; import them with 'scorekeeper recover ${this.options.recoveryFile}'`);
  }

  private unreachable(what: string, err: unknown): void {
    this.outageFailures++;
    if (this.outageSince !== undefined) return;
    this.outageSince = Date.now();
    this.log?.warn({ what, err: errorMessage(err) }, `database unreachable: ${what} failed (${errorMessage(err)}); retrying for up to ${formatSeconds(this.options.retryForMs / 1000)} s`);
  }

  private reachable(what: string): void {
    this.down = false;
    if (this.outageSince === undefined) return;
    const seconds = formatSeconds((Date.now() - this.outageSince) / 1000);
    const message = `the database was unreachable for ${seconds} s (${this.outageFailures} failed attempts); ${what} and the writes waiting for it were retried`;
    this.outageSince = undefined;
    this.outageFailures = 0;
    this.issues.push(message);
    this.log?.warn({ what, seconds: Number(seconds) }, `database reachable again: ${message}`);
  }
}

/**
 * `op`'s answer, or a transient "did not answer" error after `ms`: the attempt is then
 * abandoned, and its signal aborted so a write not yet sent is dropped (group-commit.ts).
 */
function answerWithin<T>(op: (signal: AbortSignal) => Promise<T>, ms: number, what: string): Promise<T> {
  const attempt = new AbortController();
  const promise = op(attempt.signal);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const err = markUnanswered(new StoreError(`${what}: the database did not answer within ${formatSeconds(Math.max(ms, 0) / 1000)} s`));
      attempt.abort(err);
      reject(err);
    }, Math.max(ms, 1));
  });
  promise.catch(() => undefined); // an abandoned attempt may fail later: not unhandled
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
