/**
 * The scanners registry: one row per scanner in `scorekeeper_queue.scanner`, written by
 * the scanner's heartbeat each second and read by the coordinator (placement warnings,
 * why a check was lost), `scorekeeper scanners` and the inspection API. A scanner is
 * alive while it was heard from in the last DEAD_AFTER_MS (the database's clock).
 */
import type PgBoss from 'pg-boss';
import { sql } from './open-queue.js';
import { QUEUE_SCHEMA } from './queue-names.js';

/** How often a scanner writes its row. */
export const HEARTBEAT_MS = 1000;

/** A scanner not heard from for this long counts as gone. */
export const DEAD_AFTER_MS = 5000;

/** A scanner as the registry shows it. */
export interface ScannerInfo {
  readonly id: string;
  /** Its zone; undefined: it serves only services without a zone. */
  readonly zone: string | undefined;
  readonly host: string;
  readonly pid: number;
  readonly concurrency: number;
  /** Checks it holds (running) at its last heartbeat. */
  readonly held: number;
  /** Checks it ran since it started. */
  readonly ran: number;
  /** Its event loop's delay at its last heartbeat (p99 of the last second, ms). */
  readonly lagMs: number;
  readonly startedAt: number;
  readonly heardAt: number;
  /** Heard from in the last DEAD_AFTER_MS and not stopping. */
  readonly alive: boolean;
  /** It is finishing what it holds and takes no more (SIGINT/SIGTERM). */
  readonly stopping: boolean;
}

/** A scanner's heartbeat. */
export type Heartbeat = Omit<ScannerInfo, 'heardAt' | 'alive' | 'startedAt'>;

/** Creates the registry table (the coordinator, owner of the schema). */
export async function ensureScannersTable(boss: PgBoss): Promise<void> {
  await sql(
    boss,
    `CREATE TABLE IF NOT EXISTS ${QUEUE_SCHEMA}.scanner (
      id text PRIMARY KEY,
      zone text,
      host text NOT NULL,
      pid integer NOT NULL,
      concurrency integer NOT NULL,
      held integer NOT NULL DEFAULT 0,
      ran bigint NOT NULL DEFAULT 0,
      lag_ms real NOT NULL DEFAULT 0,
      stopping boolean NOT NULL DEFAULT false,
      started_on timestamptz NOT NULL DEFAULT now(),
      heard_on timestamptz NOT NULL DEFAULT now()
    )`,
  );
}

/** Writes a scanner's row (insert on its first beat). */
export async function beat(boss: PgBoss, h: Heartbeat): Promise<void> {
  await sql(
    boss,
    `INSERT INTO ${QUEUE_SCHEMA}.scanner (id, zone, host, pid, concurrency, held, ran, lag_ms, stopping)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (id) DO UPDATE SET held = EXCLUDED.held, ran = EXCLUDED.ran, lag_ms = EXCLUDED.lag_ms,
       stopping = EXCLUDED.stopping, heard_on = now()`,
    [h.id, h.zone ?? null, h.host, h.pid, h.concurrency, h.held, h.ran, h.lagMs, h.stopping],
  );
}

/** Removes a scanner that left cleanly. */
export async function leave(boss: PgBoss, id: string): Promise<void> {
  await sql(boss, `DELETE FROM ${QUEUE_SCHEMA}.scanner WHERE id = $1`, [id]);
}

interface ScannerRow {
  id: string;
  zone: string | null;
  host: string;
  pid: number;
  concurrency: number;
  held: number;
  ran: string;
  lag_ms: number;
  stopping: boolean;
  started_ms: number;
  heard_ms: number;
  alive: boolean;
}

/** Every scanner heard from in the last `forgetAfterMs` (default an hour), alive first. */
export async function listScanners(boss: PgBoss, forgetAfterMs = 3_600_000): Promise<ScannerInfo[]> {
  const rows = await sql<ScannerRow>(
    boss,
    `SELECT id, zone, host, pid, concurrency, held, ran, lag_ms, stopping,
       (extract(epoch FROM started_on) * 1000)::float8 AS started_ms,
       (extract(epoch FROM heard_on) * 1000)::float8 AS heard_ms,
       (heard_on > now() - $1 * interval '1 millisecond' AND NOT stopping) AS alive
     FROM ${QUEUE_SCHEMA}.scanner
     WHERE heard_on > now() - $2 * interval '1 millisecond'
     ORDER BY alive DESC, zone NULLS FIRST, id`,
    [DEAD_AFTER_MS, forgetAfterMs],
  );
  return rows.map((r) => ({
    id: r.id,
    zone: r.zone ?? undefined,
    host: r.host,
    pid: r.pid,
    concurrency: r.concurrency,
    held: r.held,
    ran: Number(r.ran),
    lagMs: r.lag_ms,
    stopping: r.stopping,
    startedAt: r.started_ms,
    heardAt: r.heard_ms,
    alive: r.alive,
  }));
}

/** The database's clock minus this machine's (ms): deadlines are stamped in the database's time. */
export async function clockOffset(boss: PgBoss): Promise<number> {
  const before = Date.now();
  const [row] = await sql<{ now: number }>(boss, `SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now`);
  const after = Date.now();
  return row!.now - (before + after) / 2;
}
