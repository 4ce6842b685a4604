/**
 * Crash safety: a child process begins a scan, marks checks in progress and is killed
 * with SIGKILL; the next store's init() closes those checks as interrupted.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { rmSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { PostgresStore } from '../../src/store/postgres-store.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { schemaStore, tempDataDir } from '../support/pg.js';

const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

/** Runs the child until it reports READY, kills it with SIGKILL, returns its READY line. */
async function crashChild(args: string[]): Promise<{ scanId: string; count: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(proc, 'exit');
  const lines = createInterface({ input: proc.stdout });
  const ready = new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => line.startsWith('READY ') && resolve(line));
    void exited.then(([code]) => reject(new Error(`crash child exited (${String(code)}) before READY: ${stderr}`)));
  });
  const line = await ready;
  proc.kill('SIGKILL');
  const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  const [, scanId, count] = line.split(' ');
  return { scanId: scanId!, count: Number(count) };
}

async function expectInterrupted(store: PostgresStore, scanId: string, count: number): Promise<void> {
  const before = await store.db.one<{ n: number }>("SELECT count(*)::int AS n FROM checks WHERE scan_id = $1 AND status = 'in_progress'", [scanId]);
  expect(before.n).toBe(count);
  expect(await store.init()).toEqual({ interrupted: count });
  const rows = await store.results({ competition: 'crash' });
  expect(rows).toHaveLength(count);
  expect(rows.every((r) => r.status === 'interrupted')).toBe(true);
  expect(await store.init()).toEqual({ interrupted: 0 });
}

describe('crash safety', () => {
  test('PostgreSQL: checks of a SIGKILLed process are closed as interrupted by the next init()', async () => {
    const s = schemaStore();
    try {
      const { scanId, count } = await crashChild(['--schema', s.schema, '--checks', '40']);
      expect(count).toBe(40);
      await expectInterrupted(s.store, scanId, count);
    } finally {
      await s.drop();
    }
  }, 60_000);

  test('embedded: the data folder survives SIGKILL and the next init() closes its checks', async () => {
    const dataDir = await tempDataDir({ initialized: true });
    try {
      const { scanId, count } = await crashChild(['--data-dir', dataDir, '--checks', '40']);
      const store = await openEmbeddedStore({ dataDir });
      try {
        await expectInterrupted(store, scanId, count);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
