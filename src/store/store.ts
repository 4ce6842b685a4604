/**
 * The storage interface the engine writes through. Only the actors that own the
 * database for a check (the team actors, including the one with id `mass` that owns
 * the scan's mass checks: machines/teamMachine.ts) call it, and always with batches:
 * one team's started checks in one call, finished ones in batches.
 */
import type { AuditEntry, AuditRow } from '../db/audit-log.js';
import type { ExternalReport, ExternalReportRow, ExternalReportsQuery } from '../db/external.js';
import type { TeamInfoChange } from '../db/team-info.js';
import type { CheckRecord, CheckResult, Competition, ScanRecord, ScanSummary } from '../types.js';

/** Options of a batch write. */
export interface WriteOptions {
  /** Aborted when the caller abandons the attempt (see GroupCommit). */
  readonly signal?: AbortSignal;
}

/** Where scans, checks and per-round scores are kept. */
export interface Store {
  /** "memory", "postgres" or "embedded": shown in summaries and logs. */
  readonly kind: string;
  /**
   * Prepares the store (migrations) and closes checks left in progress by a crash as
   * `interrupted`. Returns how many were closed.
   */
  init(): Promise<{ interrupted: number }>;
  /** Records the competition's teams and services (idempotent, by name). */
  syncCompetition(competition: Competition): Promise<void>;
  /** Opens a scan: the next round number of this competition. */
  beginScan(competition: string, startedAt: number): Promise<ScanRecord>;
  /**
   * Records that these checks are in progress (one batch). `signal`: the caller gave up
   * on this attempt; a store that queues writes drops it if it has not been sent yet.
   */
  checksStarted(checks: readonly CheckRecord[], options?: WriteOptions): Promise<void>;
  /** Records finished checks and their per-round scores (one batch); `signal` as above. */
  checksFinished(results: readonly CheckResult[], options?: WriteOptions): Promise<void>;
  /** Closes a scan with its summary. */
  endScan(summary: ScanSummary): Promise<void>;
  /** Team Specific Info in force for a round (latest value set at or before it). */
  teamInfo(competition: string, round: number): Promise<Record<number, Record<string, string>>>;
  /**
   * Changes a Team Specific Info value (a blue team's new password) from a round on
   * (default: the next one); earlier rounds keep the old value.
   */
  setTeamInfo(change: TeamInfoChange): Promise<{ effectiveRound: number }>;
  /** Stores a score reported for an external service (default: the latest round). */
  recordExternal(report: ExternalReport): Promise<{ round: number }>;
  /** Stored external reports, oldest first. */
  externalReports(query: ExternalReportsQuery): Promise<ExternalReportRow[]>;
  /** Records who did what from outside the rounds (never a secret). Optional. */
  recordAudit?(entry: AuditEntry): Promise<void>;
  /** The latest audit entries of a competition, newest first. Optional. */
  auditLog?(competition: string, limit?: number): Promise<AuditRow[]>;
  /**
   * Problems the store worked around since the last call (retries, outages), for the
   * scan summary. Optional: stores that never retry need not implement it.
   */
  takeIssues?(): string[];
  /** Releases connections. */
  close(): Promise<void>;
}
