/**
 * Owner-only files and folders for what scorekeeper keeps on disk: the embedded
 * database (its write-ahead log holds every Team Specific Info value, pool password and
 * password change in plain text), the recovery file and recordings. Folders are made
 * 0700 and files 0600 whatever the umask, and existing ones lose their group and other
 * bits. The process umask is left alone: it is process-wide, and a library that changes
 * it changes it for its host too.
 */
import { chmodSync, fchmodSync, fstatSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Mode of a folder only its owner may enter. */
export const PRIVATE_DIR_MODE = 0o700;

/** Mode of a file only its owner may read and write. */
export const PRIVATE_FILE_MODE = 0o600;

/** Group and other permission bits. */
export const SHARED_BITS = 0o077;

/** Creates `dir` and its missing parents as 0700; a folder that exists is left as it is. */
export function makePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Removes group and other bits from `path` and, when it is a folder, everything under
 * it, keeping the owner's; symbolic links are not followed. Returns how many entries it
 * changed (0 when `path` does not exist).
 */
export function tightenTree(path: string): number {
  let stat;
  try {
    stat = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  if (stat.isSymbolicLink()) return 0;
  let changed = 0;
  if (stat.mode & SHARED_BITS) {
    chmodSync(path, stat.mode & 0o7777 & ~SHARED_BITS);
    changed++;
  }
  if (stat.isDirectory()) for (const name of readdirSync(path)) changed += tightenTree(join(path, name));
  return changed;
}

/** Removes group and other bits from an open file (one that existed keeps its mode when reopened). */
export function tightenOpenFile(fd: number): void {
  const { mode } = fstatSync(fd);
  if (mode & SHARED_BITS) fchmodSync(fd, mode & 0o7777 & ~SHARED_BITS);
}
