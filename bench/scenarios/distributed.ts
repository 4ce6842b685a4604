/**
 * Scenario "distributed" (issue 22): rounds whose checks run on 2 scanner processes
 * (`scorekeeper scanner`, the built CLI) through the pg-boss queue, the coordinator in
 * this process, against the same rounds run locally by the engine.
 *
 *   noop: `checks` no-op checks. Round start → last check started (as the coordinator
 *         sees it: the first report of its last check), and the round's wall time
 *         distributed vs local.
 *   http: `checks` HTTP checks against team servers on 127.0.x.y, a share of them to a
 *         server on 127.0.3.1 that accepts and never answers, timeout `timeoutMs`: the
 *         distributed round's wall time (target ≤ timeout + 2 s).
 *
 * A database of its own on the local PostgreSQL (BENCH_ADMIN_URL), dropped after.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DISTRIBUTED_IN_FLIGHT } from '../../src/cli/distributed-mode.js';
import { loadConfig } from '../../src/cli/context.js';
import { createEngine } from '../../src/engine.js';
import { RemoteScannerHost } from '../../src/scale-out/remote-scanner-host.js';
import { silentLogger } from '../../src/logger.js';
import { openStore } from '../../src/store/embedded.js';
import { startTeamServers } from '../lib/team-servers.js';

/** Parameters of a distributed run. */
export interface DistributedParams {
  readonly kind: 'noop' | 'http';
  readonly checks: number;
  /** http: share of checks to the black hole, 0..1. */
  readonly deadShare?: number;
  /** Check timeout (ms). */
  readonly timeoutMs?: number;
  /** Each scanner's concurrency. */
  readonly scannerConcurrency?: number;
  /** Local round's concurrency. */
  readonly localConcurrency?: number;
}

/** What a distributed run measured. */
export interface DistributedResult {
  readonly localWallMs: number;
  readonly distributedWallMs: number;
  /** Round start → last check reported started by a scanner (ms). */
  readonly lastStartedMs: number;
  readonly ratio: number;
  readonly checks: number;
  readonly interrupted: number;
  readonly timedOut: number;
}

const CLI = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.js');
const SERVICE_TYPE = join(import.meta.dirname, '..', '..', 'src', 'service-type.js');
const ADMIN_URL = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one distributed-vs-local comparison. */
export async function runDistributed(params: DistributedParams): Promise<DistributedResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sk-bench-dist-'));
  const database = `scorekeeper_bench_dist_${process.pid}`;
  const url = ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${database}`);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const timeoutMs = params.timeoutMs ?? 5000;
    const file = await competitionFile(dir, params, timeoutMs, cleanups);
    const { loaded, registry } = await loadConfig(file);
    const store = await openStore({ databaseUrl: url, dataDir: '' });
    cleanups.push(() => store.close());
    const logger = silentLogger();

    const local = createEngine({ registry, store, logger, concurrency: params.localConcurrency ?? 1000 });
    await local.ready();
    const t0 = performance.now();
    await local.scan(loaded.competition).summary;
    const localWallMs = performance.now() - t0;

    const host = await RemoteScannerHost.start(url, { registry, logger, waitMs: Math.max(60_000, timeoutMs * 4), logsWanted: () => false });
    cleanups.push(() => host.close());
    for (const id of ['bench-a', 'bench-b']) cleanups.push(await startScanner(file, id, url, params.scannerConcurrency ?? 1000));
    await host.prepareRound(loaded.competition);
    const engine = createEngine({ registry, store, logger, concurrency: DISTRIBUTED_IN_FLIGHT, hookHost: host });
    let lastStarted = 0;
    const t1 = performance.now();
    const handle = engine.scan(loaded.competition);
    handle.events$.subscribe((e) => {
      if (e.type === 'check.state' && e.state === 'resolving') lastStarted = performance.now();
    });
    const summary = await handle.summary;
    const distributedWallMs = performance.now() - t1;
    return {
      localWallMs,
      distributedWallMs,
      lastStartedMs: lastStarted - t1,
      ratio: distributedWallMs / localWallMs,
      checks: summary.checks,
      interrupted: summary.interrupted,
      timedOut: summary.timedOut,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Writes the plugin (the no-op type, loadable by scanners) and the competition file. */
async function competitionFile(dir: string, params: DistributedParams, timeoutMs: number, cleanups: (() => Promise<void>)[]): Promise<string> {
  writeFileSync(
    join(dir, 'noop-plugin.mjs'),
    `import { ServiceType } from ${JSON.stringify(SERVICE_TYPE)};
export function register(registry) {
  registry.register(class BenchNoop extends ServiceType {
    shortName = 'bench-noop';
    doCheck(service) { this.reportScore(service, service.points); }
  });
}
`,
  );
  const perTeam = 20;
  const teams = Math.ceil(params.checks / perTeam);
  let services: string[];
  if (params.kind === 'noop') {
    services = Array.from({ length: perTeam }, (_, i) => `  - { name: s${i}, type: bench-noop, host: 127.0.0.1 }`);
  } else {
    const servers = await startTeamServers(teams);
    cleanups.push(() => servers.close());
    const hole = await startBlackHole('127.0.3.1');
    cleanups.push(hole);
    const dead = Math.round(perTeam * (params.deadShare ?? 0.2));
    services = Array.from({ length: perTeam }, (_, i) =>
      i < dead
        ? `  - { name: s${i}, type: http, host: 127.0.3.1, port: ${servers.port}, params: { path: / } }`
        : `  - { name: s${i}, type: http, host: "127.0.{hi}.{lo}", port: ${servers.port}, params: { path: / } }`,
    );
    // The black hole listens on the team servers' port on its own address.
    await hole.listenOn(servers.port);
  }
  const teamLines = Array.from({ length: teams }, (_, i) => {
    const n = i + 1;
    return `  - { number: ${n}, vars: { hi: ${Math.floor((n - 1) / 250) + 1}, lo: ${((n - 1) % 250) + 1} } }`;
  });
  const file = join(dir, 'competition.yaml');
  writeFileSync(
    file,
    `name: Distributed bench\nplugins: [./noop-plugin.mjs]\nscan: { interval: 600, timeout: ${timeoutMs / 1000}, concurrency: 10000 }\nteams:\n${teamLines.join('\n')}\nservices:\n${services.join('\n')}\n`,
  );
  return file;
}

/** A server on `address` that accepts connections and never answers. */
async function startBlackHole(address: string): Promise<(() => Promise<void>) & { listenOn(port: number): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  };
  return Object.assign(close, {
    listenOn: (port: number) => new Promise<void>((resolve, reject) => server.once('error', reject).listen({ port, host: address, backlog: 4096 }, resolve)),
  });
}

/** Starts a scanner process; resolves once it joined, with how to stop it. */
async function startScanner(file: string, id: string, url: string, concurrency: number): Promise<() => Promise<void>> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'scanner', '--config', file, '--id', id, '--concurrency', String(concurrency), '--log-file', '/dev/null'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DATABASE_URL: url },
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const until = Date.now() + 60_000;
  while (!/joined/.test(out)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`scanner ${id} did not join: ${err}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return async () => {
    child.kill('SIGTERM');
    await exited;
  };
}
