/**
 * Claiming the embedded database's data folder. A new one is made 0700, so other local
 * users cannot enter it whatever modes PGlite gives the files inside (it creates them
 * 0666 less the umask). An existing one open to others is tightened when it is ours:
 * owned by this user, not a shared sticky folder like /tmp, and empty or already holding
 * scorekeeper's files. Anything else is refused with one line, rather than chmod a
 * folder someone pointed `--data` at by mistake.
 */
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../errors.js';
import { PRIVATE_DIR_MODE, SHARED_BITS, makePrivateDir, tightenTree } from '../private-files.js';

/** Entries that mark a folder as a scorekeeper data folder. */
const OWN_ENTRIES = ['pgdata', 'scorekeeper.pid', 'recovery.jsonl', 'demo'];

/** What claiming the data folder found. */
export interface DataDirClaim {
  /** The folder itself was open to others and was made 0700. */
  readonly tightenedFolder: boolean;
  /** Entries inside whose group/other bits were removed. */
  readonly tightenedEntries: number;
}

/** Makes `dir` an owner-only data folder (see the module comment); throws a StoreError when it may not. */
export function claimDataDir(dir: string): DataDirClaim {
  if (!existsSync(dir)) {
    makePrivateDir(dir);
    return { tightenedFolder: false, tightenedEntries: 0 };
  }
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new StoreError(`data folder ${dir} is not a folder`);
  let tightenedFolder = false;
  if (stat.mode & SHARED_BITS) {
    const refuse = (why: string) =>
      new StoreError(`data folder ${dir} is open to other users (mode ${(stat.mode & 0o777).toString(8)}) and ${why}; use a new folder, or 'chmod 700' it yourself`);
    if (process.getuid && stat.uid !== process.getuid()) throw refuse(`belongs to another user (uid ${stat.uid})`);
    if (stat.mode & 0o1000) throw refuse('is a shared folder (sticky bit)');
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.some((e) => OWN_ENTRIES.includes(e))) throw refuse('does not look like a scorekeeper data folder');
    chmodSync(dir, PRIVATE_DIR_MODE);
    tightenedFolder = true;
  }
  // Only scorekeeper's own entries: other files in the folder are the user's business.
  return { tightenedFolder, tightenedEntries: OWN_ENTRIES.reduce((n, e) => n + tightenTree(join(dir, e)), 0) };
}

/** Tightens what PGlite created since the folder was claimed (initdb's files, new WAL segments). */
export function tightenDatabaseFiles(dir: string): number {
  return tightenTree(join(dir, 'pgdata'));
}
