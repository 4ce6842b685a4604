/**
 * Database faults during a scan, on the machine's PostgreSQL (schema per test) reached
 * through a TCP proxy of the test's own: backends killed with pg_terminate_backend in
 * the middle of a write, the server unreachable for a while, and unreachable past the
 * retry limit (results to the recovery file, then `scorekeeper recover`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { recoverCommand } from '../../src/cli/commands/recover.js';
import { connectDb, type DbHandle } from '../../src/db/connect-db.js';
import { createEngine } from '../../src/engine.js';
import { readRecoveryFile } from '../../src/recovery/recovery-file.js';
import { PostgresStore } from '../../src/store/postgres-store.js';
import { createResilientStore } from '../../src/recovery/resilient-store.js';
import type { CheckResult } from '../../src/types.js';
import { TEST_DATABASE_URL, freshSchemaName } from '../support/pg.js';
import { finished, started } from '../store/fixtures/records.js';
import { gate, gatedCompetition } from './support/gated-scan.js';
import { captureLog } from './support/log-capture.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { waitUntil } from './support/wait-until.js';

const TEAMS = 20;

let proxy: TcpProxy;
let admin: DbHandle;
let schema: string;
let appName: string;
let dir: string;

beforeEach(async () => {
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  admin = connectDb({ connection: TEST_DATABASE_URL, max: 1 });
  schema = freshSchemaName();
  appName = `sk_rel_${randomBytes(4).toString('hex')}`;
  dir = mkdtempSync(join(tmpdir(), 'sk-reliability-'));
});

afterEach(async () => {
  await proxy.close();
  await admin.db.none('DROP SCHEMA IF EXISTS $1:name CASCADE', [schema]);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
});

/** A resilient store on the test schema, through the proxy, named `appName`. */
function storeThroughProxy(retryForMs: number) {
  const inner = PostgresStore.connect({ connection: `postgres://postgres@127.0.0.1:${proxy.port}/test?application_name=${appName}`, schema });
  const log = captureLog();
  const recoveryFile = join(dir, 'recovery.jsonl');
  const store = createResilientStore(inner, { retryForMs, recoveryFile, logger: log.logger });
  return { store, log, recoveryFile };
}

/** Every check row of the schema, and the round scores. */
async function stored() {
  const checks = await admin.db.any<{ team: number; service: string; status: string; score: number | null; error: string | null; scan_id: string }>(
    'SELECT scan_id, team, service, status, score, error FROM $1:name.checks ORDER BY team, service',
    [schema],
  );
  const scores = await admin.db.one<{ n: number }>('SELECT count(*)::int AS n FROM $1:name.round_scores', [schema]);
  const scans = await admin.db.any<{ finished_at: Date | null; checks: number | null; store_issues: string[] | null }>('SELECT finished_at, checks, store_issues FROM $1:name.scans', [schema]);
  return { checks, scores: scores.n, scans };
}

/**
 * A scan of TEAMS teams through the proxy: 2 checks per team answer at once, 3 wait for
 * the gate. Resolves once the first wave of results is written.
 */
async function scanThroughProxy(retryForMs: number) {
  const g = gate();
  const { registry, competition, checks, immediate } = gatedCompetition(g, TEAMS, 2, 3);
  const { store, log, recoveryFile } = storeThroughProxy(retryForMs);
  const engine = createEngine({ registry, store });
  const handle = engine.scan(competition);
  const results: CheckResult[] = [];
  handle.results$.subscribe((r) => results.push(r));
  await waitUntil('the first wave of results to be written', () => results.length >= immediate);
  return { g, checks, immediate, log, recoveryFile, engine, handle, results };
}

/** Exactly one finished row per check of the competition, and one round score each. */
async function expectExactlyOneFinishedRowPerCheck(checks: number): Promise<void> {
  const { checks: rows, scores } = await stored();
  expect(rows).toHaveLength(checks);
  expect(new Set(rows.map((r) => `${r.team}/${r.service}`)).size).toBe(checks);
  expect(rows.filter((r) => r.status !== 'finished')).toEqual([]);
  expect(rows.every((r) => r.score === 1 && r.error === null)).toBe(true);
  expect(scores).toBe(checks);
}

describe('database faults during a scan', () => {
  test('backends killed with pg_terminate_backend while a write is in flight: retried, one row per check', async () => {
    const { g, checks, engine, handle, log, recoveryFile } = await scanThroughProxy(15_000);

    // Writes of the second wave reach the proxy and wait there while the backends die.
    proxy.hold();
    g.open();
    await waitUntil('a write held in the proxy', () => proxy.heldChunks > 0);
    const killed = await admin.db.one<{ n: number }>(
      "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = 'test' AND pid <> pg_backend_pid() AND application_name = $1",
      [appName],
    );
    expect(killed.n).toBeGreaterThan(0);
    await waitUntil('the killed backends to be gone', async () =>
      (await admin.db.one<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [appName])).n === 0,
    );
    proxy.release();

    const summary = await handle.summary;
    await engine.close();
    expect(summary).toMatchObject({ checks, up: checks, down: 0 });
    expect(summary.storeIssues.join('\n')).toMatch(/the database was unreachable for [\d.]+ s \(\d+ failed attempts\); checksFinished/);
    expect(await log.waitFor(/database unreachable: checksFinished .*(terminating connection due to administrator command|Connection terminated)/)).toBeTruthy();
    expect(await log.waitFor(/database reachable again/)).toBeTruthy();
    await expectExactlyOneFinishedRowPerCheck(checks);
    expect(existsSync(recoveryFile)).toBe(false);
    console.info(`db-faults figures: terminate: ${killed.n} backends killed, ${checks} checks, ${checks} rows; ${summary.storeIssues.join('; ')}`);
  });

  test('the server unreachable for a while (connections refused): writes wait, then land once', async () => {
    const { g, checks, immediate, engine, handle, results, log, recoveryFile } = await scanThroughProxy(15_000);

    proxy.refuse();
    g.open();
    await waitUntil('60 refused connection attempts (three rounds of retries)', () => proxy.refused >= 60);
    await log.waitFor(/database unreachable: checksFinished/);
    expect(results.length).toBe(immediate); // nothing is published before its write was tried
    proxy.restore();

    const summary = await handle.summary;
    await engine.close();
    expect(summary).toMatchObject({ checks, up: checks });
    expect(summary.storeIssues.join('\n')).toMatch(/the database was unreachable for [\d.]+ s/);
    await expectExactlyOneFinishedRowPerCheck(checks);
    const { scans } = await stored();
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ checks });
    expect(existsSync(recoveryFile)).toBe(false);
    console.info(`db-faults figures: refused: ${checks} checks, ${checks} rows; ${summary.storeIssues.join('; ')}`);
  });

  test('down past the retry limit: the scan ends, results go to the recovery file, `recover` imports them once', async () => {
    const { g, checks, immediate, engine, handle, log, recoveryFile } = await scanThroughProxy(1500);

    proxy.refuse();
    g.open();
    const started = Date.now();
    const summary = await handle.summary;
    const endedAfterMs = Date.now() - started;
    expect(summary).toMatchObject({ checks, up: checks });
    expect(summary.storeIssues.join('\n')).toContain(`were written to the recovery file ${recoveryFile}; import them with 'scorekeeper recover ${recoveryFile}'`);
    expect(endedAfterMs).toBeLessThan(1500 + 1500); // the retry limit, then one refused attempt per later write
    await log.waitFor(/wrote \d+ finished entries to the recovery file/);

    const { entries, skipped } = readRecoveryFile(recoveryFile);
    expect(skipped).toEqual([]);
    const diverted = checks - immediate;
    expect(entries.filter((e) => e.kind === 'finished')).toHaveLength(diverted);
    expect(entries.filter((e) => e.kind === 'scanEnded')).toHaveLength(1);
    proxy.restore();
    await engine.close();

    const before = await stored();
    expect(before.checks.filter((r) => r.status === 'in_progress')).toHaveLength(diverted);
    expect(before.scans[0]!.finished_at).toBeNull();

    // The CLI's `recover`, on the same schema of the real server.
    process.env.DATABASE_URL = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      const out = new PassThrough();
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      expect(await recoverCommand([recoveryFile], out as unknown as NodeJS.WriteStream)).toBe(0);
      expect(text).toContain(`${diverted} results, 0 check starts (0 already recorded), 1 scan summaries imported`);
      await expectExactlyOneFinishedRowPerCheck(checks);
      const once = await stored();
      expect(once.scans[0]).toMatchObject({ checks });
      expect(once.scans[0]!.finished_at).not.toBeNull();
      expect(once.scans[0]!.store_issues!.join('\n')).toContain('recovery file');

      expect(await recoverCommand([recoveryFile], out as unknown as NodeJS.WriteStream)).toBe(0);
      expect(await stored()).toEqual(once);
    } finally {
      delete process.env.DATABASE_URL;
    }
    expect(readFileSync(recoveryFile, 'utf8')).not.toMatch(/password/i);
    console.info(`db-faults figures: past the limit: ${checks} checks, ${diverted} results diverted, scan ended ${endedAfterMs} ms after the outage began; ${summary.storeIssues.join('; ')}`);
  });

  test('a server that stops answering past the limit: attempts are abandoned, and their late commits do not duplicate anything', async () => {
    const { g, checks, immediate, engine, handle, recoveryFile } = await scanThroughProxy(1000);

    proxy.hold(); // the server looks hung: writes are sent and never answered
    g.open();
    const summary = await handle.summary;
    expect(summary).toMatchObject({ checks, up: checks });
    expect(summary.storeIssues.join('\n')).toContain('were written to the recovery file');
    const diverted = readRecoveryFile(recoveryFile).entries.filter((e) => e.kind === 'finished');
    expect(diverted).toHaveLength(checks - immediate);

    // The abandoned writes reach the server now and commit late; the import overlaps them.
    proxy.release();
    process.env.DATABASE_URL = `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    try {
      const out = new PassThrough();
      expect(await recoverCommand([recoveryFile], out as unknown as NodeJS.WriteStream)).toBe(0);
      await engine.close();
      await expectExactlyOneFinishedRowPerCheck(checks);
      const once = await stored();
      expect(await recoverCommand([recoveryFile], out as unknown as NodeJS.WriteStream)).toBe(0);
      expect(await stored()).toEqual(once);
    } finally {
      delete process.env.DATABASE_URL;
    }
  });

  test('a batch of results re-sent after its commit (a lost reply) changes nothing', async () => {
    const store = PostgresStore.connect({ connection: TEST_DATABASE_URL, schema });
    try {
      await store.init();
      const scan = await store.beginScan('resend', Date.now());
      const records = started(scan, 5, ['web', 'ssh']);
      await store.checksStarted(records);
      const batch = records.map((r, i) => finished(r, i % 2 === 0));
      await store.checksFinished(batch);
      const once = await stored();
      await store.checksFinished(batch);
      expect(await stored()).toEqual(once);
      expect(once.checks).toHaveLength(10);
      expect(once.scores).toBe(10);
    } finally {
      await store.close();
    }
  });
});
