/**
 * Where the holder of an embedded data folder serves its PostgreSQL: a Unix socket named
 * as PostgreSQL names its own (`<dir>/.s.PGSQL.5432`), so any PostgreSQL client reaches it
 * with host = that folder. A Unix socket needs no free port, cannot be reached from the
 * network, and is guarded by file permissions (the holder makes it owner-only).
 */
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The port number in the socket's name (no TCP port is opened). */
export const SOCKET_PORT = 5432;

/** Longest socket path Linux and macOS accept (sun_path is 108 / 104 bytes with the NUL). */
const MAX_SOCKET_PATH = 100;

/** Where a data folder's socket lives. */
export interface SocketPlace {
  /** The folder given to clients as `host`. */
  readonly dir: string;
  /** The socket file itself. */
  readonly path: string;
}

/**
 * The socket of `dataDir` (an absolute path): in the data folder itself, or, when that
 * path would be too long for a socket, in a folder of the temp directory named after a
 * hash of the data folder (the same for every process, so clients find it).
 */
export function socketPlace(dataDir: string): SocketPlace {
  const name = `.s.PGSQL.${SOCKET_PORT}`;
  const inside = join(dataDir, name);
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return { dir: dataDir, path: inside };
  const dir = join(tmpdir(), `scorekeeper-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`);
  return { dir, path: join(dir, name) };
}
