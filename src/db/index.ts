/** The SQL layer: one function per query, each taking a db/task/transaction handle. */
export { connectDb, type ConnectOptions, type DbHandle } from './connect-db.js';
export type { Db, Queryable } from './db.js';
export { migrate, loadMigrations, migrationsDir, MIGRATION_LOCK_KEY, type Migration } from './migrate.js';
export { ensureCompetition, findCompetition } from './ensure-competition.js';
export { syncCompetition } from './sync-competition.js';
export { beginScan } from './begin-scan.js';
export { insertStartedChecks } from './checks-started.js';
export { finishChecks } from './checks-finished.js';
export { endScan } from './end-scan.js';
export { interruptChecks, INTERRUPTED_ERROR } from './interrupt-checks.js';
export { teamInfoForRound, setTeamInfo, teamInfoHistory, type TeamInfoMap, type TeamInfoChange, type TeamInfoHistoryRow } from './team-info.js';
export { results, type ResultsQuery, type ResultRow } from './results.js';
export { scores, type ScoresOptions, type SlaOptions, type TeamScore, type ServiceScore } from './scores.js';
export { recordExternal, externalReports, type ExternalReport, type ExternalReportRow, type ExternalReportsQuery } from './external.js';
export { exportRows, type ExportQuery, type ExportRow } from './export-rows.js';
export { BATCH_ROWS } from './batch.js';
export { recordAudit, auditLog, type AuditEntry, type AuditRow, type AuditAction } from './audit-log.js';
