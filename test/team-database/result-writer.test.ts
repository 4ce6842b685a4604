import { describe, expect, test } from 'vitest';
import { ServiceType } from '../../src/service-type.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { FinishedCheck } from '../../src/team-database/check-group.js';
import { ResultWriter, WRITE_BATCH } from '../../src/team-database/result-writer.js';
import type { CheckResult, ScanRecord } from '../../src/types.js';
import { finished, started } from '../store/fixtures/records.js';

class Plain extends ServiceType {
  readonly shortName = 'http';
  override doCheck(): void {}
}

/** A store whose writes are counted, and fail while `failing` is set. */
class CountingStore extends MemoryStore {
  batchSizes: number[] = [];
  failing = false;
  override async checksFinished(results: readonly CheckResult[]): Promise<void> {
    this.batchSizes.push(results.length);
    if (this.failing) throw new Error('disk full');
    return super.checksFinished(results);
  }
}

async function setUp(teams: number) {
  const store = new CountingStore();
  const scan: ScanRecord = await store.beginScan('c', 1_000);
  const type = new Plain();
  const records = started(scan, teams, ['web']);
  await store.checksStarted(records);
  const done: FinishedCheck[] = records.map((record) => ({ record, type, result: finished(record, true) }));
  return { store, scan, done };
}

/** A writer expecting `expected` results, and what it told. */
function writerOf(store: MemoryStore, scan: ScanRecord, expected: number, initial: FinishedCheck[] = []) {
  const told: { written: number[]; done?: { storeIssues: readonly string[]; unsaved: readonly CheckResult[] } } = { written: [] };
  const writer = new ResultWriter({
    store,
    scan,
    teamInfo: () => undefined,
    initial,
    expected,
    onWritten: (results) => told.written.push(results.length),
    onDone: (storeIssues, unsaved) => (told.done = { storeIssues, unsaved }),
  });
  return { writer, told };
}

const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

describe('ResultWriter', () => {
  test('results that end together share one write; it is done once every expected result is written', async () => {
    const { store, scan, done } = await setUp(3);
    const { writer, told } = writerOf(store, scan, 3);
    writer.add([done[0]!]);
    writer.add([done[1]!]);
    await settled();
    expect(told.done).toBeUndefined();
    writer.add([done[2]!]);
    await settled();
    expect(store.batchSizes.reduce((a, b) => a + b, 0)).toBe(3);
    expect(store.batchSizes.length).toBeLessThanOrEqual(2);
    expect(told.done).toEqual({ storeIssues: [], unsaved: [] });
    expect(writer.done).toBe(true);
    expect([...store.checks.values()].every((c) => c.record.status === 'finished')).toBe(true);
  });

  test('checks that failed before they ran are written first, without waiting for the rest', async () => {
    const { store, scan, done } = await setUp(2);
    const { writer, told } = writerOf(store, scan, 1, [done[0]!]);
    writer.write();
    await settled();
    expect(told.written).toEqual([1]);
    expect(told.done).toBeUndefined();
    writer.add([done[1]!]);
    await settled();
    expect(told.written).toEqual([1, 1]);
    expect(told.done).toBeDefined();
  });

  test(`a full batch (${WRITE_BATCH}) is written at once`, async () => {
    const { store, scan, done } = await setUp(WRITE_BATCH + 1);
    const { writer } = writerOf(store, scan, WRITE_BATCH + 1);
    writer.add(done.slice(0, WRITE_BATCH));
    expect(store.batchSizes).toEqual([WRITE_BATCH]);
  });

  test('a write that fails keeps its results as unsaved and says why; nothing is lost', async () => {
    const { store, scan, done } = await setUp(2);
    store.failing = true;
    const { writer, told } = writerOf(store, scan, 2);
    writer.add(done);
    await settled();
    expect(told.done?.storeIssues).toEqual(['could not write 2 results: disk full']);
    expect(told.done?.unsaved.map((r) => r.checkId)).toEqual(done.map((d) => d.result.checkId));
  });

  test('a stopped writer writes and tells nothing more', async () => {
    const { store, scan, done } = await setUp(2);
    const { writer, told } = writerOf(store, scan, 2);
    writer.stop();
    writer.add(done);
    await settled();
    expect(store.batchSizes).toEqual([]);
    expect(told).toEqual({ written: [] });
  });
});
