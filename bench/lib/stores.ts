/**
 * Stores for benchmarks: the real PostgreSQL (a fresh schema in database `test`, dropped
 * afterwards), the embedded one (a temp folder), or memory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Store } from '../../src/store/store.js';

/** Which store a scenario runs on. */
export type StoreKind = 'postgres' | 'embedded' | 'memory';

/** A store and how to get rid of it. */
export interface BenchStore {
  readonly store: Store;
  readonly dispose: () => Promise<void>;
}

/** Opens a fresh store of `kind`. */
export async function openBenchStore(kind: StoreKind): Promise<BenchStore> {
  if (kind === 'memory') return { store: new MemoryStore(), dispose: async () => undefined };
  const { openStore } = await import('../../src/store/embedded.js');
  if (kind === 'embedded') {
    const dir = mkdtempSync(join(tmpdir(), 'sk-bench-'));
    const store = await openStore({ dataDir: dir });
    return {
      store,
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `sk_bench_${process.pid}_${Date.now() % 1_000_000}`;
  const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const store = await openStore({ databaseUrl: url, dataDir: '', schema });
  return {
    store,
    dispose: async () => {
      await store.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await client.end();
    },
  };
}
