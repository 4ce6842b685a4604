/**
 * Opens pg-boss on the queue's schema, as the coordinator or as a scanner.
 *
 * The coordinator owns the schema: it installs and migrates pg-boss, creates the
 * queues and the scanners registry, and runs pg-boss's maintenance each second (that
 * is what expires the job of a killed scanner, so another scanner runs it again). A
 * scanner changes nothing in the schema's shape: it only reads and writes rows, so its
 * role needs no more than the grants in docs/scale-out.md.
 */
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { errorMessage, ScorekeeperError } from '../errors.js';
import { QUEUE_SCHEMA } from './queue-names.js';

/** Which side opens the queue. */
export type QueueRole = 'coordinator' | 'scanner';

/** Seconds between pg-boss maintenance runs on the coordinator (expiry of a dead scanner's jobs). */
export const MAINTENANCE_SECONDS = 1;

/** Opens and starts pg-boss at `databaseUrl` for `role`. */
export async function openQueue(databaseUrl: string, role: QueueRole, logger: Logger): Promise<PgBoss> {
  const coordinator = role === 'coordinator';
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: QUEUE_SCHEMA,
    application_name: `scorekeeper ${role}`,
    max: coordinator ? 6 : 4,
    migrate: coordinator,
    supervise: coordinator,
    schedule: false,
    maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
    // A job holds a check's services (with credentials): finished ones leave the
    // tables within a minute (the coordinator deletes most as their results arrive).
    // (60 s: the least pg-boss accepts without turning off its cron processing.)
    archiveCompletedAfterSeconds: 60,
    archiveFailedAfterSeconds: 60,
    deleteAfterSeconds: 1,
  });
  boss.on('error', (err) => logger.warn({ err: errorMessage(err) }, `queue: ${errorMessage(err)}`));
  try {
    await boss.start();
  } catch (err) {
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    throw new ScorekeeperError(
      'SK_QUEUE',
      coordinator
        ? `could not open the scale-out queue (schema ${QUEUE_SCHEMA}): ${errorMessage(err)}`
        : `could not join the scale-out queue (schema ${QUEUE_SCHEMA}; is a coordinator running with --distributed, and may this role use the schema?): ${errorMessage(err)}`,
      { cause: err },
    );
  }
  return boss;
}

/** Runs one statement on pg-boss's pool. */
export async function sql<Row = Record<string, unknown>>(boss: PgBoss, text: string, values: unknown[] = []): Promise<Row[]> {
  const { rows } = await boss.getDb().executeSql(text, values);
  return rows as Row[];
}
