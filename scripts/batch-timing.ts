/**
 * Times checksStarted + checksFinished for one scan of N checks (default 10,000 and
 * 50,000) on the real PostgreSQL (fresh schema) and on the embedded PGlite, and prints
 * µs per check. Not a test: run `npx tsx scripts/batch-timing.ts [real|embedded] [N...]`.
 */
import { rmSync } from 'node:fs';
import type { PostgresStore } from '../src/store/postgres-store.js';
import { schemaStore, tempDataDir } from '../test/support/pg.js';
import { openEmbeddedStore } from '../src/store/embedded.js';
import { finished, started } from '../test/store/fixtures/records.js';

const args = process.argv.slice(2);
const targets = args.filter((a) => a === 'real' || a === 'embedded');
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);

/** One timed scan of `n` checks: 50 services × n/50 teams. */
async function timeScan(store: PostgresStore, n: number): Promise<{ startMs: number; finishMs: number }> {
  const scan = await store.beginScan(`timing-${n}-${Date.now()}`, Date.now());
  const records = started(scan, n / 50, Array.from({ length: 50 }, (_, i) => `svc${i}`));
  const results = records.map((r, i) => finished(r, i % 3 !== 0));
  const t0 = performance.now();
  await store.checksStarted(records);
  const t1 = performance.now();
  await store.checksFinished(results);
  const t2 = performance.now();
  return { startMs: t1 - t0, finishMs: t2 - t1 };
}

async function run(label: string, store: PostgresStore): Promise<void> {
  await store.init();
  await timeScan(store, 1000); // warm-up
  for (const n of sizes.length ? sizes : [10_000, 50_000]) {
    const { startMs, finishMs } = await timeScan(store, n);
    const us = ((startMs + finishMs) * 1000) / n;
    console.log(
      `${label.padEnd(9)} ${String(n).padStart(6)} checks: checksStarted ${startMs.toFixed(0)} ms, ` +
        `checksFinished ${finishMs.toFixed(0)} ms, ${us.toFixed(1)} µs/check`,
    );
  }
}

if (targets.length === 0 || targets.includes('real')) {
  const s = schemaStore();
  try {
    await run('postgres', s.store);
  } finally {
    await s.drop();
  }
}
if (targets.length === 0 || targets.includes('embedded')) {
  const dataDir = await tempDataDir({ initialized: true });
  const store = await openEmbeddedStore({ dataDir });
  try {
    await run('embedded', store);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
