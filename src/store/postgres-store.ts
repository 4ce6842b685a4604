/**
 * The PostgreSQL Store (pg-promise): a thin wrapper that runs the query functions of
 * src/db/ in transactions. Works the same on a real server (DATABASE_URL) and on the
 * embedded PGlite behind a socket (see embedded.ts).
 */
import { StoreError, ScorekeeperError, errorMessage } from '../errors.js';
import type { CheckRecord, CheckResult, Competition, ScanRecord, ScanSummary } from '../types.js';
import { connectDb, type ConnectOptions, type DbHandle } from '../db/connect-db.js';
import type { Db } from '../db/db.js';
import { migrate } from '../db/migrate.js';
import { loginFailureMessage } from '../db/login-failure.js';
import { syncCompetition } from '../db/sync-competition.js';
import { beginScan } from '../db/begin-scan.js';
import { insertStartedChecks } from '../db/checks-started.js';
import { finishChecks } from '../db/checks-finished.js';
import { endScan } from '../db/end-scan.js';
import { interruptChecks } from '../db/interrupt-checks.js';
import { setTeamInfo, teamInfoForRound, teamInfoHistory, type TeamInfoChange, type TeamInfoHistoryRow, type TeamInfoMap } from '../db/team-info.js';
import { results, type ResultRow, type ResultsQuery } from '../db/results.js';
import { scores, type ScoresOptions, type TeamScore } from '../db/scores.js';
import { externalReports, recordExternal, type ExternalReport, type ExternalReportRow, type ExternalReportsQuery } from '../db/external.js';
import { exportRows, type ExportQuery, type ExportRow } from '../db/export-rows.js';
import { auditLog, recordAudit, type AuditEntry, type AuditRow } from '../db/audit-log.js';
import { GroupCommit } from './group-commit.js';
import type { Store, WriteOptions } from './store.js';

/** How a PostgresStore was made. */
export interface PostgresStoreOptions {
  /** The database handle (its pool is ended by close()). */
  readonly handle: DbHandle;
  /** "postgres" (default) or "embedded". */
  readonly kind?: string;
  /** Runs after the pool is ended (the embedded store stops PGlite here). */
  readonly onClose?: () => Promise<void>;
}

/** Wraps a failure of `what` as a StoreError (a StoreError passes through). */
function wrap(what: string, err: unknown): ScorekeeperError {
  if (err instanceof ScorekeeperError) return err;
  const refused = loginFailureMessage(err);
  if (refused) return new StoreError(refused, { cause: err });
  return new StoreError(`${what} failed: ${errorMessage(err)}`, { cause: err });
}

/** A Store on PostgreSQL; also the home of the CLI's and scoreboard's queries. */
export class PostgresStore implements Store {
  readonly kind: string;
  /** The pg-promise database object, for the query functions of src/db/. */
  readonly db: Db;
  private readonly handle: DbHandle;
  private readonly onClose: (() => Promise<void>) | undefined;
  private closed = false;
  /** Team actors' batches merged into few transactions (group-commit.ts). */
  private readonly started = new GroupCommit<CheckRecord>((checks) => this.db.tx('checks-started', (t) => insertStartedChecks(t, checks)));
  // Two finished-writes in flight: rows of different checks never conflict, and while one
  // transaction waits on the server the next batch is already on its way.
  private readonly finished = new GroupCommit<CheckResult>((results) => this.db.tx('checks-finished', (t) => finishChecks(t, results)).then(() => undefined), 5_000, 2);

  constructor(options: PostgresStoreOptions) {
    this.handle = options.handle;
    this.db = options.handle.db;
    this.kind = options.kind ?? 'postgres';
    this.onClose = options.onClose;
  }

  /** A store on a PostgreSQL server (DATABASE_URL or connection parameters). */
  static connect(options: ConnectOptions): PostgresStore {
    return new PostgresStore({ handle: connectDb(options) });
  }

  /** Applies pending migrations only (the `scorekeeper migrate` command). */
  async migrate(): Promise<string[]> {
    return migrate(this.db);
  }

  async init(): Promise<{ interrupted: number }> {
    await migrate(this.db);
    try {
      return { interrupted: await interruptChecks(this.db) };
    } catch (err) {
      throw wrap('init: closing interrupted checks', err);
    }
  }

  async syncCompetition(competition: Competition): Promise<void> {
    try {
      await this.db.tx('sync-competition', (t) => syncCompetition(t, competition));
    } catch (err) {
      throw wrap(`syncCompetition '${competition.name}'`, err);
    }
  }

  async beginScan(competition: string, startedAt: number): Promise<ScanRecord> {
    try {
      return await this.db.tx('begin-scan', (t) => beginScan(t, competition, startedAt));
    } catch (err) {
      throw wrap(`beginScan '${competition}'`, err);
    }
  }

  async checksStarted(checks: readonly CheckRecord[], options: WriteOptions = {}): Promise<void> {
    if (checks.length === 0) return;
    try {
      await this.started.submit(checks, options.signal);
    } catch (err) {
      throw wrap(`checksStarted (${checks.length} checks)`, err);
    }
  }

  async checksFinished(checkResults: readonly CheckResult[], options: WriteOptions = {}): Promise<void> {
    if (checkResults.length === 0) return;
    try {
      await this.finished.submit(checkResults, options.signal);
    } catch (err) {
      throw wrap(`checksFinished (${checkResults.length} results)`, err);
    }
  }

  async endScan(summary: ScanSummary): Promise<void> {
    try {
      await endScan(this.db, summary);
    } catch (err) {
      throw wrap(`endScan ${summary.scanId}`, err);
    }
  }

  async teamInfo(competition: string, round: number): Promise<TeamInfoMap> {
    try {
      return await teamInfoForRound(this.db, competition, round);
    } catch (err) {
      throw wrap(`teamInfo '${competition}' round ${round}`, err);
    }
  }

  /** Records a Team Specific Info change (default: from the next round); history kept. */
  async setTeamInfo(change: TeamInfoChange): Promise<{ effectiveRound: number }> {
    try {
      return await this.db.tx('set-team-info', (t) => setTeamInfo(t, change));
    } catch (err) {
      throw wrap(`setTeamInfo team ${change.team} key '${change.key}'`, err);
    }
  }

  /** When Team Specific Info changed (no values). */
  async teamInfoHistory(competition: string, team?: number): Promise<TeamInfoHistoryRow[]> {
    return teamInfoHistory(this.db, competition, team);
  }

  /** Check results of a round (default the latest). */
  async results(query: ResultsQuery): Promise<ResultRow[]> {
    return results(this.db, query);
  }

  /** The scoreboard: per-team totals, per-service uptime, optional SLA penalty. */
  async scores(competition: string, options?: ScoresOptions): Promise<TeamScore[]> {
    return scores(this.db, competition, options);
  }

  /** Records a score reported by an external check. */
  async recordExternal(report: ExternalReport): Promise<{ round: number }> {
    try {
      return await this.db.tx('record-external', (t) => recordExternal(t, report));
    } catch (err) {
      throw wrap(`recordExternal team ${report.team} service '${report.service}'`, err);
    }
  }

  /** Stored external reports. */
  async externalReports(query: ExternalReportsQuery): Promise<ExternalReportRow[]> {
    return externalReports(this.db, query);
  }

  /** Records who did what from outside the rounds (never a secret). */
  async recordAudit(entry: AuditEntry): Promise<void> {
    try {
      await this.db.tx('record-audit', (t) => recordAudit(t, entry));
    } catch (err) {
      throw wrap(`recordAudit ${entry.action} team ${entry.team}`, err);
    }
  }

  /** The latest audit entries, newest first. */
  async auditLog(competition: string, limit?: number): Promise<AuditRow[]> {
    return auditLog(this.db, competition, limit);
  }

  /** Flat rows for CSV/JSON export. */
  async exportRows(query: ExportQuery): Promise<ExportRow[]> {
    return exportRows(this.db, query);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handle.end();
    } finally {
      await this.onClose?.();
    }
  }
}
