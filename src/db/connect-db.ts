/**
 * Opens a pg-promise database object on a PostgreSQL server, optionally confined to a
 * schema (tests use a fresh `sk_test_<random>` schema per run).
 */
import { pgp, type DbContext } from './pgp.js';
import type { Db } from './db.js';

/** Where and how to connect. */
export interface ConnectOptions {
  /** A `postgres://` URL, or pg connection parameters. */
  readonly connection: string | { host: string; port: number; database?: string; user?: string; password?: string };
  /** Schema to use (search_path); created by migrate() if missing. */
  readonly schema?: string;
  /** Pool size. Default 4 (the engine writes in batches from few actors). */
  readonly max?: number;
}

/** A database object plus how to release it. */
export interface DbHandle {
  readonly db: Db;
  readonly schema: string | undefined;
  /** Ends the connection pool. */
  end(): Promise<void>;
}

/** Opens a pool (lazily: no connection is made until the first query). */
export function connectDb(options: ConnectOptions): DbHandle {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) {
    throw new TypeError(`schema name '${options.schema}' must be a lowercase SQL identifier`);
  }
  const base = typeof options.connection === 'string' ? { connectionString: options.connection } : options.connection;
  const dc: DbContext = options.schema === undefined ? {} : { schema: options.schema };
  const db: Db = pgp<unknown>({ ...base, max: options.max ?? 4, allowExitOnIdle: true }, dc);
  let ended = false;
  return {
    db,
    schema: options.schema,
    async end() {
      if (ended) return;
      ended = true;
      await db.$pool.end();
    },
  };
}
