/**
 * The embedded store: PGlite (PostgreSQL in WebAssembly) on a data folder, spoken to with
 * pg-promise like any PostgreSQL server.
 *
 * One process at a time runs PGlite on a folder: the *holder* (embedded-lock.ts). The
 * holder serves the database on a Unix socket (embedded-socket.ts) with
 * PGLiteSocketServer, and its own pool connects there too; every other process that
 * opens the folder meanwhile connects to the same socket as a client, so `report`,
 * `results` or `pcr` work while `run` holds the folder, and their writes are the ones
 * the running rounds read. PGlite is one single-user backend: the socket server queues
 * the queries of every connection into it (a transaction keeps it for its connection),
 * so each process uses one connection.
 *
 *   open(share)  no holder ──► become the holder (role "command")
 *                holder    ──► client on its socket (retried while the holder starts)
 *   open(own)    no holder ──► become the holder (role "engine")
 *                "command" holder ──► wait for it to finish, then hold
 *                "engine" holder  ──► StoreError "in use by <label> (process N)"
 *
 * Engines need the folder for themselves: an engine starting up closes the checks left
 * in progress, which would be another engine's running checks.
 *
 * The data folder is owner-only (`claimDataDir`): PGlite writes its files 0666 less the
 * umask, and they hold every secret in plain text. The 0700 folder keeps other users
 * out; the files inside are tightened as well once initdb ran and again at close, so a
 * copy or a later chmod of the folder does not expose them.
 */
import { chmodSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { StoreError, errorMessage } from '../errors.js';
import { connectDb, type DbHandle } from '../db/connect-db.js';
import { makePrivateDir } from '../private-files.js';
import { claimDataDir, tightenDatabaseFiles } from './data-dir.js';
import { PostgresStore } from './postgres-store.js';
import { currentHolder, tryLock, type Holder, type HolderRole } from './embedded-lock.js';
import { SOCKET_PORT, socketPlace, type SocketPlace } from './embedded-socket.js';
import { checkDatabaseUrl } from './database-url.js';

/** How a process uses an embedded data folder (see the module comment). */
export type EmbeddedAccess = 'own' | 'share';

/** Options of {@link openEmbeddedStore}. */
export interface EmbeddedOptions {
  /** Data folder (created if missing); the caller resolves the default `.scorekeeper/`. */
  readonly dataDir: string;
  /** "own" (default): hold the folder; "share": use the holder's socket when there is one. */
  readonly access?: EmbeddedAccess;
  /** What this process runs, named to others in "in use by …" messages. */
  readonly label?: string;
  /** How long to wait for a command holder to finish, or a starting holder to answer. Default 30 s. */
  readonly waitMs?: number;
}

/** How the embedded database was reached. */
export interface EmbeddedStartup {
  /** Whether the data folder was new (initdb ran). */
  readonly created: boolean;
  /** Milliseconds from the call to a connectable database. */
  readonly ms: number;
  /** The Unix socket the database is served on. */
  readonly address: string;
  /** The holder's pid when this process is its client; undefined when it holds the folder. */
  readonly holderPid: number | undefined;
  /** Files and folders that were open to other users and were made owner-only at start. */
  readonly tightened: number;
}

/** A PostgresStore on an embedded PGlite; close() also stops the server and PGlite when this process holds it. */
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

/** How long a holder that stops waits for its clients to finish their queries. */
const CLIENT_DRAIN_MS = 10_000;

/** Opens the embedded database in `dataDir`: as its holder, or as a client of the holder (see the module comment). */
export async function openEmbeddedStore(options: EmbeddedOptions): Promise<EmbeddedStore> {
  const started = performance.now();
  const dataDir = resolve(options.dataDir);
  const access = options.access ?? 'own';
  const role: HolderRole = access === 'own' ? 'engine' : 'command';
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  const claim = claimDataDir(dataDir);
  const claimed = Number(claim.tightenedFolder) + claim.tightenedEntries;
  const place = socketPlace(dataDir);
  for (;;) {
    const lock = tryLock(dataDir, role, options.label ?? '');
    if (lock.acquired) return startHolder(dataDir, place, lock.release, started, claimed);
    const { holder } = lock;
    if (holder.pid === process.pid && access === 'own') throw new StoreError(`embedded database ${dataDir} is already open in this process`);
    if (access === 'own' && holder.role === 'engine') throw inUse(dataDir, holder);
    if (access === 'share') {
      const client = await tryClient(dataDir, place, holder, started, claimed);
      if (client) return client;
    }
    if (Date.now() >= deadline) throw inUse(dataDir, holder, access === 'share' ? 'and does not answer on its socket' : undefined);
    await sleep(100);
  }
}

/** The "in use" error: who holds the folder and what to do. */
function inUse(dataDir: string, holder: Holder, detail?: string): StoreError {
  const who = holder.label ? `'${holder.label}' (process ${holder.pid})` : `process ${holder.pid}`;
  return new StoreError(
    `embedded database ${dataDir} is in use by ${who}${detail ? ` ${detail}` : ''}; stop it first, or use another --data folder`,
  );
}

/** A connection pool on the socket (one connection: see the module comment). */
function socketDb(place: SocketPlace): DbHandle {
  return connectDb({ connection: { host: place.dir, port: SOCKET_PORT, database: 'postgres', user: 'postgres' }, max: 1 });
}

/** A client store on the holder's socket, or undefined when the socket does not answer yet. */
async function tryClient(dataDir: string, place: SocketPlace, holder: Holder, started: number, tightened: number): Promise<EmbeddedStore | undefined> {
  if (!existsSync(place.path)) return undefined;
  const handle = socketDb(place);
  try {
    await handle.db.one('SELECT 1');
  } catch {
    // Not listening yet (the holder is starting) or left by a killed holder: ask again.
    await handle.end().catch(() => undefined);
    return undefined;
  }
  return new EmbeddedStore({
    handle,
    kind: 'embedded',
    dataDir,
    startup: { created: false, ms: Math.round(performance.now() - started), address: place.path, holderPid: holder.pid, tightened },
  });
}

/** Starts PGlite on the folder this process just locked and serves it on the socket. */
async function startHolder(dataDir: string, place: SocketPlace, unlock: () => void, started: number, claimed: number): Promise<EmbeddedStore> {
  const created = !existsSync(join(dataDir, 'pgdata', 'PG_VERSION'));
  let pglite: PGlite | undefined;
  let server: PGLiteSocketServer | undefined;
  try {
    mkdirSync(place.dir, { recursive: true, mode: 0o700 });
    // A socket file left by a killed holder would make listen fail; the lock is ours now.
    rmSync(place.path, { force: true });
    // Made here, not by PGlite, so initdb writes into a folder that is private already.
    makePrivateDir(join(dataDir, 'pgdata'));
    pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
    const tightened = claimed + tightenDatabaseFiles(dataDir);
    // Connections beyond this get a refusal; each process uses one, so this is many processes.
    server = new PGLiteSocketServer({ db: pglite, path: place.path, maxConnections: 64 });
    await server.start();
    chmodSync(place.path, 0o600);
    const handle = socketDb(place);
    await handle.db.one('SELECT 1');
    const s = server;
    const p = pglite;
    return new EmbeddedStore({
      handle,
      kind: 'embedded',
      dataDir,
      startup: { created, ms: Math.round(performance.now() - started), address: place.path, holderPid: undefined, tightened },
      onClose: async () => {
        try {
          await drainClients(s);
          await s.stop();
          await p.close();
          tightenDatabaseFiles(dataDir);
        } finally {
          rmSync(place.path, { force: true });
          unlock();
        }
      },
    });
  } catch (err) {
    await server?.stop().catch(() => undefined);
    await pglite?.close().catch(() => undefined);
    rmSync(place.path, { force: true });
    unlock();
    throw new StoreError(`starting the embedded database in ${dataDir} failed: ${errorMessage(err)}`, { cause: err });
  }
}

/** Waits (at most CLIENT_DRAIN_MS) until other processes' connections are closed, so a stopping holder does not cut a `report` in half. */
async function drainClients(server: PGLiteSocketServer): Promise<void> {
  const until = Date.now() + CLIENT_DRAIN_MS;
  while (server.getStats().activeConnections > 0 && Date.now() < until) await sleep(50);
}

/** The live holder of an embedded data folder, if any (for messages and tests). */
export function embeddedHolder(dataDir: string): Holder | undefined {
  return currentHolder(resolve(dataDir));
}

/** Options of {@link openStore}. */
export interface OpenStoreOptions {
  /** A PostgreSQL URL (DATABASE_URL): use that server. */
  readonly databaseUrl?: string;
  /** Data folder of the embedded database, used when there is no databaseUrl. */
  readonly dataDir: string;
  /** Schema on the real server (tests); ignored for the embedded one. */
  readonly schema?: string;
  /** How to use the embedded folder (default "own"). */
  readonly access?: EmbeddedAccess;
  /** What this process runs, for the embedded folder's "in use by" messages. */
  readonly label?: string;
}

/** A store on `databaseUrl` when given (checked first: see database-url.ts), else on the embedded database in `dataDir`. */
export async function openStore(options: OpenStoreOptions): Promise<PostgresStore> {
  if (options.databaseUrl) {
    checkDatabaseUrl(options.databaseUrl);
    return PostgresStore.connect({ connection: options.databaseUrl, ...(options.schema ? { schema: options.schema } : {}) });
  }
  return openEmbeddedStore({
    dataDir: options.dataDir,
    ...(options.access ? { access: options.access } : {}),
    ...(options.label ? { label: options.label } : {}),
  });
}
