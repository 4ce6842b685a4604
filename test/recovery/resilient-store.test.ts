/**
 * The resilient store's rules, on an in-memory store that fails on demand: what is
 * retried, what is not, where writes go when the database stays down, and that a
 * recovery file imports once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { isTransientStoreError } from '../../src/recovery/is-transient.js';
import { importRecovery } from '../../src/recovery/import-recovery.js';
import { readRecoveryFile } from '../../src/recovery/recovery-file.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createResilientStore } from '../../src/recovery/resilient-store.js';
import { StoreError } from '../../src/errors.js';
import { finished, started } from '../store/fixtures/records.js';

/** An error shaped like pg's for a SQLSTATE, or like node's for an errno code. */
function failure(code: string, message = `failure ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

/** A MemoryStore whose next writes fail with the queued errors. */
class FlakyStore extends MemoryStore {
  readonly failures: Error[] = [];
  calls = 0;
  /** Fail every call while true. */
  down = false;
  /** Commit the next call, then fail it anyway (a reply lost on the way back). */
  loseNextReply = false;
  private async flaky<T>(op: () => Promise<T>): Promise<T> {
    this.calls++;
    if (this.down) throw failure('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432');
    const next = this.failures.shift();
    if (next) throw new StoreError(`write failed: ${next.message}`, { cause: next });
    const value = await op();
    if (this.loseNextReply) {
      this.loseNextReply = false;
      throw new Error('Connection terminated unexpectedly');
    }
    return value;
  }
  override checksStarted(...args: Parameters<MemoryStore['checksStarted']>) {
    // Like PostgresStore: a check started twice is a unique violation (23505).
    return this.flaky(() => super.checksStarted(...args).catch((err: Error) => Promise.reject(new StoreError(err.message, { cause: failure('23505') }))));
  }
  override checksFinished(...args: Parameters<MemoryStore['checksFinished']>) {
    return this.flaky(() => super.checksFinished(...args));
  }
  override endScan(...args: Parameters<MemoryStore['endScan']>) {
    return this.flaky(() => super.endScan(...args));
  }
  override beginScan(...args: Parameters<MemoryStore['beginScan']>) {
    return this.flaky(() => super.beginScan(...args));
  }
}

let dir: string;
beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'sk-resilient-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function setup(retryForMs = 2000) {
  const inner = new FlakyStore();
  const recoveryFile = join(dir, 'recovery.jsonl');
  const store = createResilientStore(inner, { retryForMs, recoveryFile, initialBackoffMs: 5, maxBackoffMs: 20, probeMs: 50 });
  return { inner, store, recoveryFile };
}

describe('which failures are transient', () => {
  test.each([
    ['57P01 admin shutdown', failure('57P01', 'terminating connection due to administrator command'), true],
    ['08006 connection failure', failure('08006'), true],
    ['ECONNREFUSED', failure('ECONNREFUSED'), true],
    ['a lost connection (pg, no code)', new Error('Connection terminated unexpectedly'), true],
    ['23505 unique violation', failure('23505', 'duplicate key value violates unique constraint'), false],
    ['23503 foreign key violation', failure('23503'), false],
    ['42P01 undefined table', failure('42P01'), false],
    ['a StoreError wrapping 57P01', new StoreError('checksFinished failed', { cause: failure('57P01') }), true],
    ['a StoreError wrapping 23505 whose text mentions a connection', new StoreError('Connection terminated? no', { cause: failure('23505') }), false],
    ['a plain bug', new TypeError('cannot read properties of undefined'), false],
  ])('%s → %s', (_name, err, transient) => {
    expect(isTransientStoreError(err)).toBe(transient);
  });
});

describe('resilient store', () => {
  test('transient failures are retried until the write lands, and the outage is reported once', async () => {
    const { inner, store } = setup();
    const scan = await store.beginScan('c', 1);
    inner.failures.push(failure('57P01'), failure('08006'), failure('ECONNRESET'));
    const records = started(scan, 2, ['web']);
    await store.checksStarted(records);
    expect(inner.calls).toBe(1 + 4);
    expect(inner.checks.size).toBe(2);
    const issues = store.takeIssues();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^the database was unreachable for [\d.]+ s \(3 failed attempts\); checksStarted \(2 checks\) and the writes waiting for it were retried$/);
    expect(store.takeIssues()).toEqual([]);
  });

  test('a constraint violation is not retried', async () => {
    const { inner, store } = setup();
    const scan = await store.beginScan('c', 1);
    inner.failures.push(failure('23505', 'duplicate key value violates unique constraint "checks_scan_id_team_service_key"'));
    await expect(store.checksStarted(started(scan, 1, ['web']))).rejects.toThrow('write failed: duplicate key value');
    expect(inner.calls).toBe(2);
    expect(store.takeIssues()).toEqual([]);
  });

  test('a start re-sent after a lost reply finds its rows already there: that counts as written', async () => {
    const { inner, store } = setup();
    const scan = await store.beginScan('c', 1);
    inner.loseNextReply = true;
    await store.checksStarted(started(scan, 2, ['web']));
    expect(inner.checks.size).toBe(2);
    expect(inner.calls).toBe(1 + 2);
  });

  test('down past the limit: results go to the recovery file (their starts too), the call succeeds, import is idempotent', async () => {
    const { inner, store, recoveryFile } = setup(100);
    const scan = await store.beginScan('c', 1);
    const early = started(scan, 2, ['web']);
    await store.checksStarted(early);
    inner.down = true;
    const late = started(scan, 2, ['ssh']);
    await store.checksStarted(late); // diverted
    expect(store.isDown).toBe(true);
    inner.down = false;
    // The database is back: results of checks whose start is in the file follow it there.
    await store.checksFinished([...early, ...late].map((r) => finished(r, true)));
    expect(inner.writes.map((w) => w.checkId)).toEqual(early.map((r) => r.id));
    expect(store.isDown).toBe(false);
    const issues = store.takeIssues();
    expect(issues.join('\n')).toContain(`2 results, 2 check starts were written to the recovery file ${recoveryFile}`);

    const { entries, skipped } = readRecoveryFile(recoveryFile);
    expect(skipped).toEqual([]);
    expect(entries.map((e) => e.kind)).toEqual(['started', 'started', 'finished', 'finished']);
    expect(JSON.stringify(entries)).not.toContain('password');

    const first = await importRecovery(inner, entries);
    expect(first).toEqual({ started: 2, alreadyStarted: 0, results: 2, scans: 0 });
    const snapshot = JSON.stringify([...inner.checks.entries()]);
    const second = await importRecovery(inner, entries);
    expect(second).toEqual({ started: 0, alreadyStarted: 2, results: 2, scans: 0 });
    expect(JSON.stringify([...inner.checks.entries()])).toBe(snapshot);
    expect(inner.checks.size).toBe(4);
  });

  test('a call that cannot be diverted (beginScan) fails with a clear error after the limit', async () => {
    const { inner, store } = setup(60);
    inner.down = true;
    await expect(store.beginScan('c', 1)).rejects.toThrow(/^beginScan 'c': the database stayed unreachable for [\d.]+ s \(\d+ attempts\): connect ECONNREFUSED 127\.0\.0\.1:5432$/);
  });

  test('a recovery file with a line cut short by a crash: the line is named and skipped', async () => {
    const { inner, store, recoveryFile } = setup(30);
    const scan = await store.beginScan('c', 1);
    inner.down = true;
    await store.checksStarted(started(scan, 1, ['web']));
    const { appendFileSync } = await import('node:fs');
    appendFileSync(recoveryFile, '{"v":1,"kind":"finished","result":{"scanI');
    const { entries, skipped } = readRecoveryFile(recoveryFile);
    expect(entries).toHaveLength(1);
    expect(skipped).toEqual([expect.stringMatching(/^line 2: not JSON/)]);
  });

  test('other members of the inner store pass through', () => {
    const { inner, store } = setup();
    expect(store.kind).toBe('memory');
    expect(store.writes).toBe(inner.writes);
    expect(store instanceof MemoryStore).toBe(true);
  });
});
