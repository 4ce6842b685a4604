/** The Store contract and migration locking on the real PostgreSQL (fresh schema per run). */
import { describe, expect, test } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { connectDb } from '../../src/db/connect-db.js';
import { freshSchemaName, schemaStore, TEST_DATABASE_URL } from '../support/pg.js';
import { storeContract } from './store-contract.js';
import { openStore } from '../../src/store/embedded.js';

storeContract('PostgreSQL server', async () => {
  const s = schemaStore();
  return { store: s.store, dispose: () => s.drop() };
});

describe('openStore', () => {
  test('a databaseUrl opens the server store (no embedded database is started)', async () => {
    const schema = freshSchemaName();
    const store = await openStore({ databaseUrl: TEST_DATABASE_URL, dataDir: '/nonexistent/never-created', schema });
    try {
      expect(store.kind).toBe('postgres');
      expect(await store.migrate()).toEqual(['001_initial', '002_audit_log']);
      expect((await store.db.one<{ s: string }>('SELECT current_schema() AS s')).s).toBe(schema);
    } finally {
      await store.db.none('DROP SCHEMA IF EXISTS $1:name CASCADE', [schema]);
      await store.close();
    }
  });
});

describe('migrate on PostgreSQL', () => {
  test('three processes migrating one schema at once apply each migration exactly once', async () => {
    const schema = freshSchemaName();
    const handles = [1, 2, 3].map(() => connectDb({ connection: TEST_DATABASE_URL, schema, max: 1 }));
    try {
      const applied = await Promise.all(handles.map((h) => migrate(h.db)));
      expect(applied.filter((a) => a.length > 0)).toEqual([['001_initial', '002_audit_log']]);
      const rows = await handles[0]!.db.any('SELECT id FROM scorekeeper_migrations');
      expect(rows).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await handles[0]!.db.none('DROP SCHEMA IF EXISTS $1:name CASCADE', [schema]);
      await Promise.all(handles.map((h) => h.end()));
    }
  });

  test('a failing migration rolls back and names itself', async () => {
    const s = schemaStore();
    try {
      await expect(migrate(s.store.db, [
        { id: 1, name: 'initial', sql: 'CREATE TABLE a (x int)' },
        { id: 2, name: 'broken', sql: 'CREATE TABLE b (x nosuchtype)' },
      ])).rejects.toThrow(/migration 2_broken failed: type "nosuchtype" does not exist/);
      const tables = await s.store.db.any('SELECT tablename FROM pg_tables WHERE schemaname = $1', [s.schema]);
      expect(tables).toEqual([]);
    } finally {
      await s.drop();
    }
  });
});
