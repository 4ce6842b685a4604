/**
 * The local recovery file: JSON lines of writes the database could not take in time
 * (checks started, results, scan summaries), imported later by `scorekeeper recover`.
 * Lines are appended with one write() each and fsynced; a line cut short by a crash is
 * skipped on reading. No password or credential is ever written: a started check keeps
 * only its keys (scan, team, service, type, points, start time). The file is 0600 and a
 * folder made for it 0700, whatever the umask: results and their errors are still the
 * competition's business only.
 */
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, errorMessage } from '../errors.js';
import { PRIVATE_FILE_MODE, makePrivateDir, tightenOpenFile } from '../private-files.js';
import type { CheckRecord, CheckResult, ScanSummary } from '../types.js';

/** A check recorded as started, without its service's credentials. */
export interface StartedCheck {
  readonly id: string;
  readonly scanId: string;
  readonly team: number;
  readonly service: string;
  readonly type: string;
  readonly points: number;
  readonly startedAt: number;
}

/** One line of a recovery file. */
export type RecoveryEntry =
  | { readonly v: 1; readonly kind: 'started'; readonly at: number; readonly check: StartedCheck }
  | { readonly v: 1; readonly kind: 'finished'; readonly at: number; readonly result: CheckResult }
  | { readonly v: 1; readonly kind: 'scanEnded'; readonly at: number; readonly summary: ScanSummary };

/** The keys of a started check (no service object, so no password). */
export function startedCheckOf(record: CheckRecord): StartedCheck {
  const { service } = record;
  return { id: record.id, scanId: record.scanId, team: service.team.number, service: service.name, type: service.type, points: service.points, startedAt: record.startedAt };
}

/** A CheckRecord rebuilt from a recovery line, enough for `Store.checksStarted`. */
export function checkRecordOf(check: StartedCheck): CheckRecord {
  return {
    id: check.id,
    scanId: check.scanId,
    status: 'in_progress',
    startedAt: check.startedAt,
    data: {},
    service: {
      id: `team-${check.team}/${check.service}`,
      name: check.service,
      type: check.type,
      team: { number: check.team, name: `Team${check.team}` },
      host: '',
      port: undefined,
      points: check.points,
      timeoutMs: 0,
      params: {},
    },
  };
}

/** Appends entries to `file` (created owner-only with its folder if missing) and fsyncs it. */
export function appendRecoveryEntries(file: string, entries: readonly RecoveryEntry[]): void {
  if (entries.length === 0) return;
  const text = entries.map((e) => `${JSON.stringify(e)}\n`).join('');
  try {
    makePrivateDir(dirname(file));
    const fd = openSync(file, 'a', PRIVATE_FILE_MODE);
    try {
      tightenOpenFile(fd);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new StoreError(`writing ${entries.length} entries to the recovery file ${file} failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** What a recovery file holds, and the lines that could not be read. */
export interface RecoveryFileContents {
  readonly entries: RecoveryEntry[];
  /** "line N: why" for each skipped line (a crash can cut the last one short). */
  readonly skipped: string[];
}

/** Reads a recovery file; a malformed line is skipped and named, never fatal. */
export function readRecoveryFile(file: string): RecoveryFileContents {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StoreError(`reading the recovery file ${file} failed: ${errorMessage(err)}`, { cause: err });
  }
  const entries: RecoveryEntry[] = [];
  const skipped: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (err) {
      skipped.push(`line ${i + 1}: not JSON (${errorMessage(err)})`);
      return;
    }
    const problem = entryProblem(value);
    if (problem) skipped.push(`line ${i + 1}: ${problem}`);
    else entries.push(value as RecoveryEntry);
  });
  return { entries, skipped };
}

/** Why `value` is not a recovery entry, or undefined when it is one. */
function entryProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const e = value as Record<string, unknown>;
  if (e.v !== 1) return `unknown version ${JSON.stringify(e.v)}`;
  const body = e.kind === 'started' ? e.check : e.kind === 'finished' ? e.result : e.kind === 'scanEnded' ? e.summary : undefined;
  if (body === undefined) return `unknown kind ${JSON.stringify(e.kind)}`;
  if (typeof body !== 'object' || body === null || typeof (body as { scanId?: unknown }).scanId !== 'string') return `${String(e.kind)} entry without a scanId`;
  return undefined;
}
