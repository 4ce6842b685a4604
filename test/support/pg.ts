/**
 * Stores for tests: the real PostgreSQL of this machine (127.0.0.1:5432, database
 * `test`) in a fresh `sk_test_<random>` schema that is dropped afterwards, or an embedded
 * PGlite in a temp folder that is removed afterwards. Other data is left alone.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { PGlite } from '@electric-sql/pglite';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { openEmbeddedStore, type EmbeddedStore } from '../../src/store/embedded.js';
import { connectDb } from '../../src/db/connect-db.js';

/** The test server (override with TEST_DATABASE_URL). */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name, unique per call. */
export function freshSchemaName(): string {
  return `sk_test_${randomBytes(6).toString('hex')}`;
}

/** A store in a fresh schema of the test server, and how to drop it. */
export interface SchemaStore {
  readonly store: PostgresStore;
  readonly schema: string;
  /** Opens another store on the same schema (e.g. after a simulated restart). */
  reopen(): PostgresStore;
  /** Closes the store and drops the schema. */
  drop(): Promise<void>;
}

/** Opens a store on a new, empty schema of the test server (not migrated yet). */
export function schemaStore(schema = freshSchemaName()): SchemaStore {
  const store = PostgresStore.connect({ connection: TEST_DATABASE_URL, schema });
  return {
    store,
    schema,
    reopen: () => PostgresStore.connect({ connection: TEST_DATABASE_URL, schema }),
    async drop() {
      await store.close();
      const admin = connectDb({ connection: TEST_DATABASE_URL, max: 1 });
      try {
        await admin.db.none('DROP SCHEMA IF EXISTS $1:name CASCADE', [schema]);
      } finally {
        await admin.end();
      }
    },
  };
}

/** An embedded store in a new temp folder, and how to remove it. */
export interface TempEmbeddedStore {
  readonly store: EmbeddedStore;
  readonly dataDir: string;
  /** Closes the store and deletes the folder. */
  remove(): Promise<void>;
}

/**
 * A fresh temp data folder for an embedded store. With `initialized`, it already holds
 * a database copied from a template made once per PGlite version (initdb takes 5-17 s
 * here; the copy well under a second), for tests that are not about the first start.
 */
export async function tempDataDir(options: { initialized?: boolean } = {}): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-embedded-'));
  try {
    if (options.initialized) cpSync(await pgliteTemplate(), join(dir, 'pgdata'), { recursive: true });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return dir;
}

/** The template pgdata folder, made on first use (safe when several workers race). */
async function pgliteTemplate(): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite'); // <pkg>/dist/index.cjs
  const { version } = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const template = join(tmpdir(), `sk-pglite-template-${version}`);
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const building = mkdtempSync(join(tmpdir(), 'sk-pglite-building-'));
  const db = await PGlite.create({ dataDir: join(building, 'pgdata') });
  await db.close();
  try {
    renameSync(join(building, 'pgdata'), template);
  } catch (err) {
    if (!existsSync(join(template, 'PG_VERSION'))) throw err; // another worker won the race
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
  return template;
}

/** Opens an embedded store on a new temp folder (or `dataDir`). */
export async function tempEmbeddedStore(folder?: string): Promise<TempEmbeddedStore> {
  const dataDir = folder ?? (await tempDataDir());
  const store = await openEmbeddedStore({ dataDir });
  return {
    store,
    dataDir,
    async remove() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
