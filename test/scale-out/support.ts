/**
 * What the scale-out tests share: a database of their own on the local PostgreSQL
 * (created per test file, dropped after), local HTTP/TCP servers to check, and
 * scanner processes of the built CLI.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import { startCli, type CliProcess } from '../reliability/support/cli.js';

/** The local PostgreSQL (trust auth) the tests may use. */
export const PG_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test file. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs one statement in it. */
  query<R extends pg.QueryResultRow = Record<string, unknown>>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/** Creates database `scorekeeper_scaleout_<pid>_<suffix>`. */
export async function createTestDatabase(suffix: string): Promise<TestDatabase> {
  const name = `scorekeeper_scaleout_${process.pid}_${suffix}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  return {
    name,
    url,
    async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<R>(text, values)).rows;
      } finally {
        await client.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Local servers the competition checks. */
export interface TestServers {
  /** HTTP: /ok answers 200 "hello", /slow answers 200 after `slowMs`, anything else 500. */
  readonly httpPort: number;
  /** TCP: sends a banner and closes. */
  readonly tcpPort: number;
  /** A port nothing listens on. */
  readonly closedPort: number;
  close(): Promise<void>;
}

/** Starts the servers on 127.0.0.1. */
export async function startServers(slowMs = 1500): Promise<TestServers> {
  const http: HttpServer = createHttpServer((req, res) => {
    if (req.url === '/ok') res.end('hello');
    else if (req.url === '/slow') setTimeout(() => res.end('slow hello'), slowMs);
    else {
      res.statusCode = 500;
      res.end('no');
    }
  });
  const tcp: TcpServer = createTcpServer((socket) => {
    socket.on('error', () => undefined);
    socket.end('banner\n');
  });
  const spare: TcpServer = createTcpServer();
  const listen = (s: HttpServer | TcpServer) => new Promise<number>((resolve) => s.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve((s.address() as AddressInfo).port)));
  const [httpPort, tcpPort, closedPort] = await Promise.all([listen(http), listen(tcp), listen(spare)]);
  await new Promise<void>((resolve) => spare.close(() => resolve()));
  return {
    httpPort,
    tcpPort,
    closedPort,
    async close() {
      http.closeAllConnections();
      await Promise.all([http, tcp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

/** A scanner process, started once it said it joined. */
export async function startScanner(args: readonly string[], databaseUrl: string): Promise<CliProcess> {
  const p = startCli(['scanner', ...args], { DATABASE_URL: databaseUrl });
  await waitFor(() => /joined/.test(p.stdout()), 60_000, () => `scanner ${args.join(' ')} did not join: ${p.stderr()}`, p);
  return p;
}

/** Waits (polling every 100 ms) until `ready()`; fails with `why()` after `ms` or if `process` exits first. */
export async function waitFor(ready: () => boolean | Promise<boolean>, ms: number, why: () => string, process?: CliProcess): Promise<void> {
  let exited = false;
  void process?.exited.then(() => (exited = true));
  const until = Date.now() + ms;
  while (!(await ready())) {
    if (exited || Date.now() > until) throw new Error(why());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops a process with SIGTERM and waits for it. */
export async function stopProcess(p: CliProcess): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await p.exited;
}
