/**
 * The embedded store: PGlite (PostgreSQL in WebAssembly) on a data folder, served on
 * 127.0.0.1 (a free port) by PGLiteSocketServer, and spoken to with pg-promise like any
 * PostgreSQL server. PGlite is one single-user backend: the socket server queues every
 * query into it, so the pool has one connection (a second one would share the same
 * session state). `openStore` picks a real server when a DATABASE_URL is given.
 *
 * The data folder is owner-only (`claimDataDir`): PGlite writes its files 0666 less the
 * umask, and they hold every secret in plain text. The 0700 folder keeps other users
 * out; the files inside are tightened as well once initdb ran and again at close, so a
 * copy or a later chmod of the folder does not expose them.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StoreError, errorMessage } from '../errors.js';
import { connectDb } from '../db/connect-db.js';
import { PRIVATE_FILE_MODE, makePrivateDir } from '../private-files.js';
import { claimDataDir, tightenDatabaseFiles } from './data-dir.js';
import { PostgresStore } from './postgres-store.js';

/** Options of {@link openEmbeddedStore}. */
export interface EmbeddedOptions {
  /** Data folder (created if missing); the caller resolves the default `.scorekeeper/`. */
  readonly dataDir: string;
}

/** How long the embedded database took to start. */
export interface EmbeddedStartup {
  /** Whether the data folder was new (initdb ran). */
  readonly created: boolean;
  /** Milliseconds from the call to a served, connectable database. */
  readonly ms: number;
  /** `127.0.0.1:<port>` the socket server listens on. */
  readonly address: string;
  /** Files and folders that were open to other users and were made owner-only at start. */
  readonly tightened: number;
}

/** A PostgresStore on an embedded PGlite; close() also stops the server and PGlite. */
export class EmbeddedStore extends PostgresStore {
  /** Absolute data folder. */
  readonly dataDir: string;
  readonly startup: EmbeddedStartup;
  constructor(options: ConstructorParameters<typeof PostgresStore>[0] & { dataDir: string; startup: EmbeddedStartup }) {
    super(options);
    this.dataDir = options.dataDir;
    this.startup = options.startup;
  }
}

const LOCK_FILE = 'scorekeeper.pid';
/** Data folders open in this process. */
const openHere = new Set<string>();

/**
 * Takes the data folder for this process; throws if this process or another live one
 * holds it (two PGlite instances on one folder would corrupt it). A pid file left by a
 * killed process is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  if (openHere.has(dataDir)) throw new StoreError(`embedded database ${dataDir} is already open in this process`);
  const file = join(dataDir, LOCK_FILE);
  if (existsSync(file)) {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) {
      throw new StoreError(`embedded database ${dataDir} is in use by process ${pid}`);
    }
  }
  writeFileSync(file, String(process.pid), { mode: PRIVATE_FILE_MODE });
  openHere.add(dataDir);
  return () => {
    openHere.delete(dataDir);
    rmSync(file, { force: true });
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Starts PGlite on `dataDir`, serves it on 127.0.0.1 and returns a store on it. */
export async function openEmbeddedStore(options: EmbeddedOptions): Promise<EmbeddedStore> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  const claim = claimDataDir(dataDir);
  const unlock = lockDataDir(dataDir);
  const created = !existsSync(join(dataDir, 'pgdata', 'PG_VERSION'));
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    // Made here, not by PGlite, so initdb writes into a folder that is private already.
    makePrivateDir(join(dataDir, 'pgdata'));
    pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
    const tightened = Number(claim.tightenedFolder) + claim.tightenedEntries + tightenDatabaseFiles(dataDir);
    server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const address = server.getServerConn();
    const [host, port] = address.split(':');
    const handle = connectDb({ connection: { host: host!, port: Number(port), database: 'postgres', user: 'postgres' }, max: 1 });
    await handle.db.one('SELECT 1');
    const s = server;
    const p = pglite;
    return new EmbeddedStore({
      handle,
      kind: 'embedded',
      dataDir,
      startup: { created, ms: Math.round(performance.now() - started), address, tightened },
      onClose: async () => {
        try {
          await s.stop();
          await p.close();
          tightenDatabaseFiles(dataDir);
        } finally {
          unlock();
        }
      },
    });
  } catch (err) {
    await server?.stop().catch(() => undefined);
    await pglite?.close().catch(() => undefined);
    unlock();
    throw new StoreError(`starting the embedded database in ${dataDir} failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** A PostgreSQL URL (DATABASE_URL): use that server. */
  readonly databaseUrl?: string;
  /** Data folder of the embedded database, used when there is no databaseUrl. */
  readonly dataDir: string;
  /** Schema on the real server (tests); ignored for the embedded one. */
  readonly schema?: string;
}

/** A store on `databaseUrl` when given, else on the embedded database in `dataDir`. */
export async function openStore(options: OpenStoreOptions): Promise<PostgresStore> {
  if (options.databaseUrl) {
    return PostgresStore.connect({ connection: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) });
  }
  return openEmbeddedStore({ dataDir: options.dataDir });
}
