/**
 * Imports recovery entries into a store, idempotently: checks are recorded as started
 * unless they already are, results are written with `checksFinished` (an update of the
 * check row and an upsert of its round score: re-sending changes nothing) and scan
 * summaries with `endScan`. Importing the same file twice leaves the database as it was.
 */
import { StoreError, errorMessage } from '../errors.js';
import type { Store } from '../store/store.js';
import type { CheckRecord, CheckResult, ScanSummary } from '../types.js';
import { checkRecordOf, type RecoveryEntry } from './recovery-file.js';

/** What an import did. */
export interface RecoveryImport {
  /** Checks recorded as started by this import. */
  readonly started: number;
  /** Started checks that were already in the database. */
  readonly alreadyStarted: number;
  /** Results written (new or identical to the stored ones). */
  readonly results: number;
  /** Scan summaries written. */
  readonly scans: number;
}

/** Writes `entries` to `store` (see the module comment); throws naming what failed. */
export async function importRecovery(store: Store, entries: readonly RecoveryEntry[]): Promise<RecoveryImport> {
  const started = new Map<string, CheckRecord>();
  const finished = new Map<string, CheckResult>();
  const summaries = new Map<string, ScanSummary>();
  for (const e of entries) {
    if (e.kind === 'started') started.set(e.check.id, checkRecordOf(e.check));
    else if (e.kind === 'finished') finished.set(e.result.checkId, e.result);
    else summaries.set(e.summary.scanId, e.summary);
  }
  let inserted = 0;
  let already = 0;
  for (const records of groupBy([...started.values()], (r) => r.scanId).values()) {
    try {
      await store.checksStarted(records);
      inserted += records.length;
    } catch {
      // Some are already there (an earlier import, or a write that landed late): one by one.
      for (const record of records) {
        try {
          await store.checksStarted([record]);
          inserted++;
        } catch {
          already++; // if it is missing for another reason, checksFinished says so below
        }
      }
    }
  }
  let written = 0;
  for (const [scanId, results] of groupBy([...finished.values()], (r) => r.scanId)) {
    try {
      await store.checksFinished(results);
    } catch (err) {
      throw new StoreError(`recover: writing ${results.length} results of scan ${scanId} failed: ${errorMessage(err)}`, { cause: err });
    }
    written += results.length;
  }
  for (const summary of summaries.values()) {
    try {
      await store.endScan(summary);
    } catch (err) {
      throw new StoreError(`recover: closing scan ${summary.scanId} failed: ${errorMessage(err)}`, { cause: err });
    }
  }
  return { started: inserted, alreadyStarted: already, results: written, scans: summaries.size };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
