/**
 * The audit log: who changed a password, filed an external report or ran a check now,
 * and when. Entries never hold a secret (see migrations/002_audit_log.sql).
 */
import type { Queryable } from './db.js';
import { ensureCompetition, findCompetition } from './ensure-competition.js';

/** What was done from outside the rounds. */
export type AuditAction = 'password-change' | 'external-report' | 'check-now';

/** One entry to record. */
export interface AuditEntry {
  readonly competition: string;
  /** Who: `admin`, `team 3` (a web token, with its address), or `cli:<user>`. */
  readonly actor: string;
  readonly action: AuditAction;
  readonly team: number;
  /** The Team Specific Info key, or the service name. */
  readonly subject: string;
  /** A short description without secret values (`from round 4`, `score 3/5`). */
  readonly detail?: string;
}

/** A stored entry. */
export interface AuditRow {
  readonly at: Date;
  readonly actor: string;
  readonly action: AuditAction;
  readonly team: number;
  readonly subject: string;
  readonly detail: string;
}

/** Records one entry. */
export async function recordAudit(t: Queryable, entry: AuditEntry): Promise<void> {
  const competitionId = await ensureCompetition(t, entry.competition);
  await t.none(
    'INSERT INTO audit_log (competition_id, actor, action, team, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [competitionId, entry.actor, entry.action, entry.team, entry.subject, entry.detail ?? ''],
  );
}

/** The latest `limit` entries of a competition, newest first. */
export async function auditLog(t: Queryable, competition: string, limit = 200): Promise<AuditRow[]> {
  const competitionId = await findCompetition(t, competition);
  if (competitionId === null) return [];
  return t.manyOrNone<AuditRow>(
    'SELECT at, actor, action, team, subject, detail FROM audit_log WHERE competition_id = $1 ORDER BY at DESC, id DESC LIMIT $2',
    [competitionId, limit],
  );
}
