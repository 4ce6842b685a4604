/**
 * An in-memory Store: for unit tests and embedders that keep results themselves.
 * Keeps every record so tests can assert "exactly one result per check".
 */
import type { AuditEntry, AuditRow } from '../db/audit-log.js';
import type { ExternalReport, ExternalReportRow, ExternalReportsQuery } from '../db/external.js';
import type { TeamInfoChange } from '../db/team-info.js';
import { StoreError } from '../errors.js';
import type { CheckRecord, CheckResult, Competition, ScanRecord, ScanSummary } from '../types.js';
import type { Store } from './store.js';

/** A Store that keeps everything in memory. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  readonly scans: ScanRecord[] = [];
  readonly summaries: ScanSummary[] = [];
  /** Check id → record, as last written. */
  readonly checks = new Map<string, { record: CheckRecord; result?: CheckResult }>();
  /** Every finished-check write, in order (duplicates would show here). */
  readonly writes: CheckResult[] = [];
  /** Team Specific Info changes (e.g. password changes), oldest first. */
  readonly teamInfoChanges: Array<Required<TeamInfoChange>> = [];
  private rounds = new Map<string, number>();

  async init(): Promise<{ interrupted: number }> {
    let interrupted = 0;
    for (const entry of this.checks.values()) {
      if (entry.record.status === 'in_progress') {
        entry.record.status = 'interrupted';
        interrupted++;
      }
    }
    return { interrupted };
  }

  async syncCompetition(_competition: Competition): Promise<void> {}

  async beginScan(competition: string, startedAt: number): Promise<ScanRecord> {
    const round = (this.rounds.get(competition) ?? 0) + 1;
    this.rounds.set(competition, round);
    const scan = { id: `${competition}#${round}`, competition, round, startedAt };
    this.scans.push(scan);
    return scan;
  }

  async checksStarted(checks: readonly CheckRecord[]): Promise<void> {
    for (const record of checks) {
      if (this.checks.has(record.id)) throw new StoreError(`check ${record.id} was started twice`);
      this.checks.set(record.id, { record: { ...record } });
    }
  }

  async checksFinished(results: readonly CheckResult[]): Promise<void> {
    for (const result of results) {
      const entry = this.checks.get(result.checkId);
      if (!entry) throw new StoreError(`check ${result.checkId} finished but was never started`);
      entry.record.status = result.status;
      entry.result = result;
      this.writes.push(result);
    }
  }

  async endScan(summary: ScanSummary): Promise<void> {
    this.summaries.push(summary);
  }

  async teamInfo(competition: string, round: number): Promise<Record<number, Record<string, string>>> {
    const info: Record<number, Record<string, string>> = {};
    for (const c of this.teamInfoChanges) {
      if (c.competition === competition && c.effectiveRound <= round) (info[c.team] ??= {})[c.key] = c.value;
    }
    return info;
  }

  async setTeamInfo(change: TeamInfoChange): Promise<{ effectiveRound: number }> {
    const effectiveRound = change.effectiveRound ?? (this.rounds.get(change.competition) ?? 0) + 1;
    this.teamInfoChanges.push({ ...change, effectiveRound });
    return { effectiveRound };
  }

  readonly externals: Array<ExternalReportRow & { competition: string }> = [];

  async recordExternal(report: ExternalReport): Promise<{ round: number }> {
    if (!Number.isFinite(report.score) || report.score < 0) {
      throw new StoreError(`recordExternal: score ${report.score} for team ${report.team} service '${report.service}' is not a number >= 0`);
    }
    const round = report.round ?? Math.max(1, this.rounds.get(report.competition) ?? 1);
    const points = report.points ?? 1;
    if (report.score > points) throw new StoreError(`recordExternal: score ${report.score} for team ${report.team} service '${report.service}' is above its ${points} points`);
    this.externals.push({ competition: report.competition, id: String(this.externals.length + 1), round, team: report.team, service: report.service, score: report.score, points, error: report.error ?? null, reportedAt: new Date() });
    return { round };
  }

  async externalReports(query: ExternalReportsQuery): Promise<ExternalReportRow[]> {
    return this.externals
      .filter((e) => e.competition === query.competition && (query.round === undefined || e.round === query.round) && (query.team === undefined || e.team === query.team))
      .map(({ competition: _c, ...row }) => row);
  }

  readonly audit: Array<AuditRow & { competition: string }> = [];

  async recordAudit(entry: AuditEntry): Promise<void> {
    this.audit.push({ competition: entry.competition, at: new Date(), actor: entry.actor, action: entry.action, team: entry.team, subject: entry.subject, detail: entry.detail ?? '' });
  }

  async auditLog(competition: string, limit = 200): Promise<AuditRow[]> {
    return this.audit
      .filter((e) => e.competition === competition)
      .slice(-limit)
      .reverse()
      .map(({ competition: _c, ...row }) => row);
  }

  async close(): Promise<void> {}
}
