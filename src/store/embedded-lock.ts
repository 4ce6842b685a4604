/**
 * Who holds an embedded data folder: `scorekeeper.pid` in it names the process that runs
 * PGlite on the folder (two PGlite instances on one folder would corrupt it) and what
 * kind of holder it is. An engine holder (`run`, `serve`, `scan`, `demo`) keeps the
 * folder for a long time; a command holder (`report`, `results`...) for about a second.
 * Other processes reach the data through the holder's socket (embedded-socket.ts).
 */
import { PRIVATE_FILE_MODE } from '../private-files.js';
import { linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the lock file in the data folder. */
export const LOCK_FILE = 'scorekeeper.pid';

/** What kind of process holds the folder. */
export type HolderRole = 'engine' | 'command';

/** The holder named by a lock file. */
export interface Holder {
  readonly pid: number;
  readonly role: HolderRole;
  /** What the holder runs, for messages ("scorekeeper run"); may be empty. */
  readonly label: string;
}

/** The outcome of {@link tryLock}: the lock, or who has it. */
export type LockAttempt = { readonly acquired: true; readonly release: () => void } | { readonly acquired: false; readonly holder: Holder };

/** Data folders locked by this process. */
const lockedHere = new Set<string>();

/**
 * Takes the folder's lock when no live process has it (a file left by a killed process
 * is taken over), else returns the holder. The file is written aside and hard-linked
 * into place (link fails when the name exists), so two processes racing for a free
 * folder cannot both win and nobody reads a half-written file.
 */
export function tryLock(dataDir: string, role: HolderRole, label: string): LockAttempt {
  const file = join(dataDir, LOCK_FILE);
  const content = JSON.stringify({ pid: process.pid, role, label });
  const aside = `${file}.${process.pid}`;
  writeFileSync(aside, content, { mode: PRIVATE_FILE_MODE });
  try {
    return lockOrHolder(dataDir, file, aside);
  } finally {
    rmSync(aside, { force: true });
  }
}

function lockOrHolder(dataDir: string, file: string, aside: string): LockAttempt {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      linkSync(aside, file);
      lockedHere.add(dataDir);
      return {
        acquired: true,
        release: () => {
          lockedHere.delete(dataDir);
          rmSync(file, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(file);
    if (holder && (holder.pid === process.pid ? lockedHere.has(dataDir) : isAlive(holder.pid))) return { acquired: false, holder };
    // Left by a dead process (or by this one before a crash it survived): take it over.
    rmSync(file, { force: true });
  }
  const holder = readHolder(file);
  if (holder) return { acquired: false, holder };
  throw new Error(`could not take the lock file ${file}`);
}

/** The live holder of `dataDir`, if any. */
export function currentHolder(dataDir: string): Holder | undefined {
  const holder = readHolder(join(dataDir, LOCK_FILE));
  if (!holder) return undefined;
  if (holder.pid === process.pid) return lockedHere.has(dataDir) ? holder : undefined;
  return isAlive(holder.pid) ? holder : undefined;
}

/** Parses a lock file: JSON, or a bare pid (older versions wrote only that). */
function readHolder(file: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
  if (/^\d+$/.test(text)) return { pid: Number(text), role: 'engine', label: '' };
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    if (!Number.isInteger(parsed.pid) || (parsed.pid as number) <= 0) return undefined;
    return { pid: parsed.pid as number, role: parsed.role === 'command' ? 'command' : 'engine', label: typeof parsed.label === 'string' ? parsed.label : '' };
  } catch {
    return undefined;
  }
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
