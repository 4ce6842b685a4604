/**
 * Issue 25: secrets at rest. The embedded database's folder, the recovery file and
 * recordings are owner-only whatever the umask: every file and folder is stat'ed.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Subject } from 'rxjs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { HubMessage } from '../../src/inspection/hub-messages.js';
import { recordInspection } from '../../src/inspection/recorder.js';
import { appendRecoveryEntries } from '../../src/recovery/recovery-file.js';
import { openEmbeddedStore } from '../../src/store/embedded.js';
import { tempDataDir } from '../support/pg.js';

const mode = (path: string) => statSync(path).mode & 0o7777;

/** Every file and folder under `dir` (not itself), with its permission bits. */
function walk(dir: string): Array<{ path: string; mode: number; dir: boolean }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = lstatSync(path);
    const here = { path, mode: stat.mode & 0o7777, dir: stat.isDirectory() };
    return stat.isDirectory() ? [here, ...walk(path)] : [here];
  });
}

const shared = (entries: ReturnType<typeof walk>) => entries.filter((e) => e.mode & 0o077);

let root: string;
let umask: number;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'sk-private-'));
  // The worst case: every file anyone creates is 0666 and every folder 0777.
  umask = process.umask(0);
});
afterEach(() => {
  process.umask(umask);
  rmSync(root, { recursive: true, force: true });
});

describe('the embedded database folder', () => {
  test('a new one is 0700 and, after close, nothing in it has group or other bits (umask 000)', async () => {
    const dataDir = join(root, 'data');
    const store = await openEmbeddedStore({ dataDir });
    let looseWhileOpen: number;
    try {
      expect(store.startup.created).toBe(true);
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'pgdata'))).toBe(0o700);
      await store.init();
      await store.beginScan('private', 1_000);
      await store.db.none("CREATE TABLE secret_probe (v text); INSERT INTO secret_probe VALUES ('pw-AT-REST-51c2'); CHECKPOINT");
      looseWhileOpen = shared(walk(dataDir)).length;
    } finally {
      await store.close();
    }
    const entries = walk(dataDir);
    console.log(
      `embedded store, umask 000: ${store.startup.tightened} entries made owner-only at start (initdb), ${looseWhileOpen} open to others while running (behind the 0700 folder), ${entries.length} files and folders after close, ${shared(entries).length} with group/other bits`,
    );
    expect(entries.length).toBeGreaterThan(900);
    expect(mode(dataDir)).toBe(0o700);
    expect(shared(entries)).toEqual([]);
  }, 120_000);

  test("an existing one of scorekeeper's is tightened at start, the user's own files left alone", async () => {
    const dataDir = await tempDataDir({ initialized: true });
    try {
      chmodSync(dataDir, 0o755);
      for (const e of walk(dataDir)) chmodSync(e.path, e.dir ? 0o777 : 0o666);
      writeFileSync(join(dataDir, 'recovery.jsonl'), '', { mode: 0o644 });
      writeFileSync(join(dataDir, 'notes.txt'), 'mine', { mode: 0o644 });
      const loose = shared(walk(dataDir)).length;
      const store = await openEmbeddedStore({ dataDir });
      try {
        expect(mode(dataDir)).toBe(0o700);
        // The folder, every pgdata entry and the recovery file (notes.txt is the user's),
        // and what PGlite wrote as it started.
        expect(store.startup.tightened).toBeGreaterThanOrEqual(loose - 1);
      } finally {
        await store.close();
      }
      expect(shared(walk(join(dataDir, 'pgdata')))).toEqual([]);
      expect(mode(join(dataDir, 'recovery.jsonl'))).toBe(0o600);
      expect(mode(join(dataDir, 'notes.txt'))).toBe(0o644);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('a folder open to others that is not a data folder, or a sticky one, is refused and left as it was', async () => {
    const notOurs = join(root, 'project');
    mkdirSync(notOurs, { mode: 0o755 });
    writeFileSync(join(notOurs, 'README'), 'hello', { mode: 0o644 });
    const shared1777 = join(root, 'shared');
    mkdirSync(shared1777);
    chmodSync(shared1777, 0o1777);
    await expect(openEmbeddedStore({ dataDir: notOurs })).rejects.toThrow(
      new StoreError(`data folder ${notOurs} is open to other users (mode 755) and does not look like a scorekeeper data folder; use a new folder, or 'chmod 700' it yourself`),
    );
    await expect(openEmbeddedStore({ dataDir: shared1777 })).rejects.toThrow(/is open to other users \(mode 777\) and is a shared folder \(sticky bit\)/);
    expect(mode(notOurs)).toBe(0o755);
    expect(mode(shared1777)).toBe(0o1777);
    expect(existsSync(join(notOurs, 'pgdata'))).toBe(false);
  });
});

describe('the recovery file and recordings', () => {
  const entry = { v: 1 as const, kind: 'scanEnded' as const, at: 1, summary: { scanId: 's1' } as never };

  test('the recovery file and the folders made for it are owner-only; an existing file is tightened', () => {
    const file = join(root, 'new', 'deeper', 'recovery.jsonl');
    appendRecoveryEntries(file, [entry]);
    expect([mode(join(root, 'new')), mode(join(root, 'new', 'deeper')), mode(file)]).toEqual([0o700, 0o700, 0o600]);
    const old = join(root, 'old.jsonl');
    writeFileSync(old, '', { mode: 0o666 });
    appendRecoveryEntries(old, [entry]);
    expect(mode(old)).toBe(0o600);
  });

  test('a recording is owner-only, also when it replaces a file open to others', async () => {
    for (const existing of [false, true]) {
      const file = join(root, `rec-${existing}.jsonl`);
      if (existing) writeFileSync(file, 'old', { mode: 0o666 });
      const messages = new Subject<HubMessage>();
      const recording = recordInspection(messages, file);
      expect(mode(file)).toBe(0o600);
      await recording.close();
    }
    // A file that cannot be made still fails at close, as before.
    await expect(recordInspection(new Subject<HubMessage>(), join(root, 'missing', 'rec.jsonl')).close()).rejects.toThrow(/recording to .* failed: ENOENT/);
  });
});
