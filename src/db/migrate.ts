/**
 * Numbered SQL migrations (`migrations/NNN_name.sql`), applied in one transaction under
 * an advisory lock and recorded in `scorekeeper_migrations`. Applying them again is a
 * no-op; two processes migrating at once wait for each other. A migration, once
 * released, is never edited: changes go in a new, higher-numbered file.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { StoreError, errorMessage } from '../errors.js';
import type { Db } from './db.js';
import { loginFailureMessage } from './login-failure.js';

/** Advisory lock key held while migrating ("scorekeeper" in ASCII, truncated). */
export const MIGRATION_LOCK_KEY = 0x73636f72656b;

/** One migration file. */
export interface Migration {
  readonly id: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The migrations folder: beside this module, or (when running the compiled `dist/`
 * without the .sql files copied) the source folder.
 */
export function migrationsDir(): string {
  const here = fileURLToPath(new URL('./migrations/', import.meta.url));
  if (existsSync(here)) return here;
  const fromDist = here.replace(/([/\\])dist\1src\1/, '$1src$1');
  if (existsSync(fromDist)) return fromDist;
  throw new StoreError(`migrations folder not found at ${here}`);
}

/** Reads the migration files in order; throws on a malformed or duplicated number. */
export function loadMigrations(dir = migrationsDir()): Migration[] {
  const seen = new Set<number>();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m) throw new StoreError(`migration file ${file} in ${dir} is not named NNN_name.sql`);
      const id = Number(m[1]);
      if (seen.has(id)) throw new StoreError(`migration number ${m[1]} is used twice in ${dir}`);
      seen.add(id);
      return { id, name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.id - b.id);
}

/**
 * Applies the pending migrations; returns the names applied now (empty when up to date).
 * Creates the database object's schema first when it has one.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = loadMigrations()): Promise<string[]> {
  const schema = (db.$dc as { schema?: string } | undefined)?.schema;
  try {
    return await db.tx('scorekeeper-migrate', async (t) => {
      await t.one('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      if (schema) await t.none('CREATE SCHEMA IF NOT EXISTS $1:name', [schema]);
      await t.none(`CREATE TABLE IF NOT EXISTS scorekeeper_migrations (
        id int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const done = new Set(await t.map('SELECT id FROM scorekeeper_migrations', [], (r: { id: number }) => r.id));
      const applied: string[] = [];
      for (const m of migrations) {
        if (done.has(m.id)) continue;
        try {
          await t.multi(m.sql);
        } catch (err) {
          throw new StoreError(`migration ${m.id}_${m.name} failed: ${errorMessage(err)}`, { cause: err });
        }
        await t.none('INSERT INTO scorekeeper_migrations (id, name) VALUES ($1, $2)', [m.id, m.name]);
        applied.push(`${String(m.id).padStart(3, '0')}_${m.name}`);
      }
      return applied;
    });
  } catch (err) {
    if (err instanceof StoreError) throw err;
    const refused = loginFailureMessage(err);
    if (refused) throw new StoreError(refused, { cause: err });
    throw new StoreError(`migrating the database failed: ${errorMessage(err)}`, { cause: err });
  }
}
