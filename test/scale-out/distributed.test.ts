/**
 * Scale-out (issue 22) with real processes on loopback: a coordinator (`scan
 * --distributed`) and scanner processes (`scorekeeper scanner`) over a queue on the
 * local PostgreSQL, checking local HTTP and TCP servers. Results must be the ones a
 * local scan gives; a SIGKILLed scanner loses no check; zones are respected; a scanner
 * that cannot load a plugin refuses to start; a scanner works with a role limited to
 * the queue's schema. No timing asserts: only what each check ended with.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { requireBuiltCli, runCli, startCli, type CliProcess } from '../reliability/support/cli.js';
import { silentLogger } from '../../src/logger.js';
import { ServiceRegistry } from '../../src/registry.js';
import { RemoteScannerHost } from '../../src/scale-out/remote-scanner-host.js';
import { createTestDatabase, startScanner, startServers, stopProcess, waitFor, type TestDatabase, type TestServers } from './support.js';

interface JsonResult {
  team: number;
  service: string;
  score: number;
  error: string | null;
  status: string;
  scanner?: string;
}

let db: TestDatabase;
let servers: TestServers;
let dir: string;
const scanners: CliProcess[] = [];
const role = `scorekeeper_scanner_${process.pid}`;

/** Writes competition file `name` with `services` (YAML lines) for `teams` teams. */
function competitionFile(name: string, scan: string, teams: number, services: string): string {
  const file = join(dir, name);
  const teamLines = Array.from({ length: teams }, (_, i) => `  - { number: ${i + 1}, vars: { seg: ${i % 2 === 0 ? 'a' : 'b'} } }`).join('\n');
  writeFileSync(file, `name: Scale-out ${name}\nscan: ${scan}\nteams:\n${teamLines}\nservices:\n${services}\n`);
  return file;
}

function basicServices(): string {
  return [
    `  - { name: web, type: http, host: 127.0.0.1, port: ${servers.httpPort}, params: { path: /ok, status: 200 } }`,
    `  - { name: bad, type: http, host: 127.0.0.1, port: ${servers.httpPort}, params: { path: /nope, status: 200 } }`,
    `  - { name: tcp, type: tcp, host: 127.0.0.1, port: ${servers.tcpPort} }`,
    `  - { name: closed, type: tcp, host: 127.0.0.1, port: ${servers.closedPort} }`,
  ].join('\n');
}

async function scanJson(file: string, distributed: boolean, url = db.url): Promise<{ code: number | null; results: JsonResult[]; stderr: string; scanId: string }> {
  const run = await runCli(['scan', '--config', file, '--json', ...(distributed ? ['--distributed'] : [])], { DATABASE_URL: url });
  if (run.code !== 0) throw new Error(`scan exited ${run.code}: ${run.stderr}`);
  const doc = JSON.parse(run.stdout) as { scan: { scanId: string }; results: JsonResult[] };
  return { code: run.code, results: doc.results, stderr: run.stderr, scanId: doc.scan.scanId };
}

const verdicts = (results: readonly JsonResult[]) => results.map((r) => ({ team: r.team, service: r.service, score: r.score, error: r.error, status: r.status }));

beforeAll(async () => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'sk-scaleout-'));
  db = await createTestDatabase('main');
  servers = await startServers();
  // The coordinator installs the queue's schema on its first start; scanners started
  // before one wait for it. Installed here so that every scanner joins at once.
  const host = await RemoteScannerHost.start(db.url, { registry: new ServiceRegistry(), logger: silentLogger(), waitMs: 1000, logsWanted: () => false });
  await host.close();
}, 120_000);

afterAll(async () => {
  await Promise.all(scanners.map(stopProcess));
  await servers?.close();
  await db?.drop();
  await db?.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  // The role is cluster-wide: drop it from the admin database (the test one is gone).
  const { default: pg } = await import('pg');
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  await admin.end();
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe('scale-out through pg-boss', () => {
  test('coordinator + 3 scanners give the results of a local scan, each naming its scanner', async () => {
    const file = competitionFile('basic.yaml', '{ interval: 30, timeout: 3 }', 4, basicServices());
    const local = await scanJson(file, false);
    for (const id of ['s1', 's2', 's3']) scanners.push(await startScanner(['--config', file, '--id', id, '--concurrency', '3'], db.url));
    const remote = await scanJson(file, true);
    expect(remote.results).toHaveLength(16);
    expect(verdicts(remote.results)).toEqual(verdicts(local.results));
    // Sanity: the competition has both kinds of verdict, so "equal" compares something.
    expect(local.results.filter((r) => r.score > 0)).toHaveLength(8);
    for (const r of remote.results) expect(['s1', 's2', 's3']).toContain(r.scanner);
    for (const r of local.results) expect(r.scanner).toBeUndefined();
    const listed = await runCli(['scanners', '--json'], { DATABASE_URL: db.url });
    const ids = (JSON.parse(listed.stdout) as { scanners: { id: string; alive: boolean }[] }).scanners.filter((s) => s.alive).map((s) => s.id);
    expect(ids.sort()).toEqual(['s1', 's2', 's3']);
  }, 180_000);

  test('a scanner works with a role limited to the queue schema, and cannot read the competition tables', async () => {
    // The grants of docs/scale-out.md, verbatim.
    const grants = [
      `CREATE ROLE ${role} LOGIN`,
      `GRANT CONNECT ON DATABASE ${db.name} TO ${role}`,
      `GRANT USAGE ON SCHEMA scorekeeper_queue TO ${role}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA scorekeeper_queue TO ${role}`,
      `ALTER DEFAULT PRIVILEGES IN SCHEMA scorekeeper_queue GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${role}`,
    ];
    for (const statement of grants) await db.query(statement);
    const limitedUrl = `postgres://${role}@127.0.0.1:5432/${db.name}`;
    await Promise.all(scanners.splice(0).map(stopProcess));
    const limited = await startScanner(['--config', join(dir, 'basic.yaml'), '--id', 'limited'], limitedUrl);
    scanners.push(limited);
    const remote = await scanJson(join(dir, 'basic.yaml'), true);
    expect(remote.results).toHaveLength(16);
    for (const r of remote.results) expect(r.scanner).toBe('limited');
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: limitedUrl });
    await client.connect();
    try {
      await expect(client.query('SELECT * FROM checks LIMIT 1')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
    await Promise.all(scanners.splice(0).map(stopProcess));
  }, 180_000);

  test('zones: only a zone\'s scanners run its checks; a zone with no scanner is warned about and ends interrupted', async () => {
    const services = [
      `  - { name: web, type: http, host: 127.0.0.1, port: ${servers.httpPort}, zone: "{seg}", params: { path: /ok, status: 200 } }`,
      `  - { name: tcp, type: tcp, host: 127.0.0.1, port: ${servers.tcpPort} }`,
      `  - { name: far, type: tcp, host: 127.0.0.1, port: ${servers.tcpPort}, zone: c }`,
    ].join('\n');
    const file = competitionFile('zones.yaml', '{ interval: 8, timeout: 2 }', 4, services);
    scanners.push(await startScanner(['--config', file, '--id', 'za', '--zone', 'a'], db.url));
    scanners.push(await startScanner(['--config', file, '--id', 'zb', '--zone', 'b'], db.url));
    scanners.push(await startScanner(['--config', file, '--id', 'zany'], db.url));
    const remote = await scanJson(file, true);
    expect(remote.stderr).toContain("no live scanner in zone 'c'");
    expect(remote.results).toHaveLength(12);
    for (const r of remote.results) {
      if (r.service === 'web') {
        expect(r.scanner).toBe(r.team % 2 === 1 ? 'za' : 'zb');
        expect(r.score).toBe(1);
      } else if (r.service === 'tcp') {
        expect(['za', 'zb', 'zany']).toContain(r.scanner);
        expect(r.score).toBe(1);
      } else {
        expect(r.status).toBe('interrupted');
        expect(r.error).toBe("interrupted: no live scanner in zone 'c'");
        expect(r.scanner).toBeUndefined();
      }
    }
    await Promise.all(scanners.splice(0).map(stopProcess));
  }, 180_000);

  test('a scanner SIGKILLed mid-round: every check has exactly one result, none lost or interrupted', async () => {
    const services = [
      `  - { name: slow1, type: http, host: 127.0.0.1, port: ${servers.httpPort}, params: { path: /slow, status: 200 } }`,
      `  - { name: slow2, type: http, host: 127.0.0.1, port: ${servers.httpPort}, params: { path: /slow, status: 200 } }`,
    ].join('\n');
    const file = competitionFile('kill.yaml', '{ interval: 60, timeout: 5 }', 12, services);
    const victim = await startScanner(['--config', file, '--id', 'victim', '--concurrency', '4'], db.url);
    const survivor = await startScanner(['--config', file, '--id', 'survivor', '--concurrency', '4'], db.url);
    scanners.push(victim, survivor);
    const scan = startCli(['scan', '--config', file, '--json', '--distributed'], { DATABASE_URL: db.url });
    // Killed while it holds checks (its heartbeat says so).
    await waitFor(
      async () => {
        const rows = await db.query<{ held: number }>(`SELECT held FROM scorekeeper_queue.scanner WHERE id = 'victim'`);
        return (rows[0]?.held ?? 0) > 0;
      },
      60_000,
      () => `the victim never held a check: ${scan.stderr()}`,
      scan,
    );
    victim.child.kill('SIGKILL');
    const { code } = await scan.exited;
    expect(code, scan.stderr()).toBe(0);
    const doc = JSON.parse(scan.stdout()) as { scan: { scanId: string; interrupted: number }; results: JsonResult[] };
    expect(doc.results).toHaveLength(24);
    const keys = new Set(doc.results.map((r) => `${r.team}/${r.service}`));
    expect(keys.size).toBe(24);
    for (const r of doc.results) {
      expect(r.status).toBe('finished');
      expect(r.score).toBe(1);
    }
    expect(doc.results.some((r) => r.scanner === 'survivor')).toBe(true);
    const stored = await db.query<{ n: string; finished: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'finished') AS finished FROM checks WHERE scan_id = $1`,
      [doc.scan.scanId],
    );
    expect(stored[0]).toEqual({ n: '24', finished: '24' });
    await Promise.all(scanners.splice(0).map(stopProcess));
  }, 240_000);

  test('a scanner that cannot load a plugin refuses to start with one line', async () => {
    writeFileSync(join(dir, 'boom.mjs'), "throw new Error('boom: this plugin is broken');\n");
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, `name: Broken\nplugins: [./boom.mjs]\nteams: [{ number: 1 }]\nservices:\n  - { name: tcp, type: tcp, host: 127.0.0.1, port: ${servers.tcpPort} }\n`);
    const run = await runCli(['scanner', '--config', file], { DATABASE_URL: db.url });
    expect(run.code).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/boom: this plugin is broken/);
    expect(run.stdout).not.toMatch(/joined/);
  }, 60_000);

  test('distributed mode without DATABASE_URL is a clear configuration error', async () => {
    const run = await runCli(['scan', '--config', join(dir, 'basic.yaml'), '--distributed', '--data', join(dir, 'data')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/distributed mode needs PostgreSQL: set DATABASE_URL/);
  }, 60_000);

  test('scan.distributed in the file: run says so before it opens the embedded database', async () => {
    const file = competitionFile('file-distributed.yaml', '{ interval: 30, timeout: 3, distributed: true }', 2, basicServices());
    const data = join(dir, 'data-file-distributed');
    const run = await runCli(['run', '--config', file, '--rounds', '1', '--data', data]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/distributed mode needs PostgreSQL: set DATABASE_URL/);
    expect(existsSync(data)).toBe(false);
  }, 60_000);
});
