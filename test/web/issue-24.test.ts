/**
 * Issue 24: the web server on a hostile competition network. Each attack is tried for
 * real against a real server on loopback (other loopback addresses stand for other
 * clients), and each test checks that an honest client is still served, with correct data.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import type { HubSnapshot } from '../../src/inspection/hub-messages.js';
import { ServiceRegistry } from '../../src/registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { ScannerStore } from '../../src/web/scanner-api.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { runCli } from '../cli/run-cli.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { SECRETS, TOKENS, assertNoSecrets, bearer, http, secretCompetition } from '../visualizer/support.js';

const json = { 'Content-Type': 'application/json' };

/** A scanner store that records password changes and the audit log in memory. */
function scannerStore(): ScannerStore & { audit: MemoryStore['audit'] } {
  const memory = new MemoryStore();
  return {
    audit: memory.audit,
    results: () => Promise.resolve([]),
    scores: () => Promise.resolve([]),
    teamInfo: () => Promise.resolve({}),
    setTeamInfo: () => Promise.resolve({ effectiveRound: 2 }),
    recordAudit: (entry) => memory.recordAudit(entry),
    auditLog: (competition, limit) => memory.auditLog(competition, limit),
  };
}

const competition = secretCompetition(2, [{ name: 'www', type: 'web' }, { name: 'ssh', type: 'web' }]);

describe('binding and TLS', () => {
  let dir: string;
  let cert: Buffer;
  let key: Buffer;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sk-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'));
    key = readFileSync(join(dir, 'key.pem'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('plain HTTP on a non-loopback address is refused before binding, with one line saying what to do', async () => {
    await expect(startWebServer({ tokens: TOKENS, host: '0.0.0.0' })).rejects.toThrow(
      /refusing plain HTTP on 0\.0\.0\.0: .*--tls-cert and --tls-key .*--insecure-http/,
    );
  });

  test('the CLI: serve on a non-loopback address without TLS exits 7 at once; a certificate without its key is a usage error', async () => {
    const config = join(import.meta.dirname, '../../examples/competition.yaml');
    const plain = await runCli(['serve', '--config', config, '--host', '0.0.0.0', '--port', '0', '--rounds', '1', '--data', join(dir, 'data')]);
    expect(plain.code).toBe(7);
    expect(plain.stderr).toMatch(/refusing plain HTTP on 0\.0\.0\.0/);
    const half = await runCli(['serve', '--config', config, '--tls-cert', join(dir, 'cert.pem'), '--port', '0', '--rounds', '1', '--data', join(dir, 'data')]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/both a certificate and a key/);
  });

  test('with a certificate it serves HTTPS: Secure __Host- session cookie, HSTS, and the API', async () => {
    const web = await startWebServer({ tokens: TOKENS, tls: { cert, key } });
    try {
      expect(web.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const link = await http(`${web.url}/scanner.html?token=${SECRETS.team1Token}`, { headers: { 'Sec-Fetch-Site': 'none' } });
      expect(link.status).toBe(303);
      expect(String(link.headers['set-cookie'])).toMatch(/^__Host-sk_token=.*; Secure/);
      expect(link.headers['strict-transport-security']).toBe('max-age=31536000');
      const who = await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.team1Token) });
      expect(who.status).toBe(200);
      expect(JSON.parse(who.body)).toMatchObject({ role: 'team', team: 1 });
    } finally {
      await web.close();
    }
  });
});

describe('a hostile network', () => {
  let web: WebServer;
  let engine: ReturnType<typeof createEngine>;
  let hub: InspectionHub;
  let scan: ReturnType<ReturnType<typeof createEngine>['scan']>;
  let watching: { unsubscribe(): void };
  const store = scannerStore();
  const lines: string[] = [];
  const logger = { warn: (_o: unknown, m: string) => void lines.push(m) } as never;

  beforeAll(async () => {
    // Checks that hang until the scan is stopped: the inspector has live actors of both teams.
    engine = createEngine({ registry: registryOf(recordingType('web', [], { behaviour: { do: 'hang' } })), store: new MemoryStore() });
    hub = new InspectionHub(engine, { tickMs: 0 });
    watching = hub.messages$.subscribe(() => undefined);
    scan = engine.scan({ ...competition, services: competition.services.map((s) => ({ ...s, timeoutMs: 120_000 })) });
    while (hub.snapshot().actors.filter((a) => a.kind === 'check').length < 4) await new Promise((r) => setTimeout(r, 20));
    web = await startWebServer({
      tokens: TOKENS,
      hub,
      competition,
      store,
      registry: new ServiceRegistry(),
      allowedHosts: ['scoring.example'],
      logger,
      limits: { perClient: { perSecond: 2, burst: 30 }, headersTimeoutMs: 1500, requestTimeoutMs: 3000 },
    });
  });
  afterAll(async () => {
    await web.close();
    scan.stop();
    await scan.summary.catch(() => undefined);
    watching.unsubscribe();
  });

  test('wrong, absent or another team\'s token: refused on every route; the right one is served', async () => {
    const routes = ['/api/whoami', '/api/inspect/snapshot', '/api/stuck', '/api/scanner', '/api/history?team=2&service=www', '/api/recording', '/api/audit'];
    for (const path of routes) {
      expect((await http(`${web.url}${path}`, { from: '127.0.0.20' })).status, path).toBe(401);
      expect((await http(`${web.url}${path}`, { headers: bearer('not-a-token'), from: '127.0.0.21' })).status, path).toBe(401);
    }
    // Team 1 asking for team 2's history, or admin-only routes.
    for (const path of ['/api/history?team=2&service=www', '/api/recording', '/api/audit']) {
      expect((await http(`${web.url}${path}`, { headers: bearer(SECRETS.team1Token), from: '127.0.0.22' })).status, path).toBe(403);
    }
    const post = await http(`${web.url}/api/password`, { method: 'POST', headers: { ...bearer(SECRETS.team1Token), ...json }, body: JSON.stringify({ team: 2, key: 'rootpw', value: 'x' }), from: '127.0.0.22' });
    expect(post.status).toBe(403);
    expect((await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.adminToken) })).status).toBe(200);
  });

  test('path traversal on static files finds nothing', async () => {
    for (const path of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/inspector.html/../../package.json']) {
      const res = await http(`${web.url}${path}`, { from: '127.0.0.23' });
      expect(res.status, path).toBe(404);
      expect(res.body).not.toMatch(/root:|"name": "scorekeeper"/);
    }
  });

  test('oversized and malformed JSON are 413 and 400; the server goes on', async () => {
    const headers = { ...bearer(SECRETS.adminToken), ...json };
    const big = await http(`${web.url}/api/password`, { method: 'POST', headers, body: `{"key":"${'x'.repeat(20_000)}"}`, from: '127.0.0.24' });
    expect(big.status).toBe(413);
    const broken = await http(`${web.url}/api/password`, { method: 'POST', headers, body: '{"key": ', from: '127.0.0.24' });
    expect(broken.status).toBe(400);
    expect((await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.adminToken) })).status).toBe(200);
  });

  test('a rebinding Host header is refused (421); the allowed names are served', async () => {
    const evil = await http(`${web.url}/api/whoami`, { headers: { ...bearer(SECRETS.adminToken), Host: `evil.example:${web.port}` }, from: '127.0.0.25' });
    expect(evil.status).toBe(421);
    expect((JSON.parse(evil.body) as { error: string }).error).toMatch(/--allow-host/);
    expect((await http(`${web.url}/index.html`, { headers: { Host: `evil.example:${web.port}` }, from: '127.0.0.25' })).status).toBe(421);
    for (const name of ['localhost', '127.0.0.1', 'scoring.example', 'SCORING.example']) {
      expect((await http(`${web.url}/api/whoami`, { headers: { ...bearer(SECRETS.adminToken), Host: `${name}:${web.port}` } })).status, name).toBe(200);
    }
  });

  test('a cross-site POST (CSRF) is refused, with the victim\'s cookie; a same-origin one goes through', async () => {
    const cookie = { Cookie: `sk_token=${SECRETS.team1Token}`, ...json };
    const body = JSON.stringify({ key: 'rootpw', value: 'pwned' });
    const before = store.audit.length;
    const attacks: Array<Record<string, string>> = [{ Origin: 'http://evil.example' }, { 'Sec-Fetch-Site': 'cross-site' }, { 'Sec-Fetch-Site': 'same-site' }, { Origin: 'null' }];
    for (const headers of attacks) {
      const res = await http(`${web.url}/api/password`, { method: 'POST', headers: { ...cookie, ...headers }, body, from: '127.0.0.26' });
      expect(res.status, JSON.stringify(headers)).toBe(403);
    }
    expect(store.audit.length).toBe(before);
    const honest = await http(`${web.url}/api/password`, {
      method: 'POST',
      headers: { ...cookie, Origin: `http://127.0.0.1:${web.port}`, 'Sec-Fetch-Site': 'same-origin' },
      body: JSON.stringify({ key: 'rootpw', value: 'fine' }),
    });
    expect(honest.status).toBe(200);
  });

  test('requests over the per-address rate get 429 with Retry-After, logged once; other addresses are served', async () => {
    const before = lines.length;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await http(`${web.url}/index.html`, { from: '127.0.0.27' })).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(30);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await http(`${web.url}/index.html`, { from: '127.0.0.27' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(lines.slice(before).filter((l) => l.includes('127.0.0.27')).length).toBe(1);
    expect((await http(`${web.url}/index.html`, { from: '127.0.0.28' })).status).toBe(200);
  });

  test('token guessing: after 10 wrong tokens an address gets 429 even with a right one; others are served', async () => {
    const from = '127.0.0.29';
    for (let i = 0; i < 10; i++) expect((await http(`${web.url}/api/whoami`, { headers: bearer(`guess-${i}`), from })).status).toBe(401);
    expect((await http(`${web.url}/api/whoami`, { headers: bearer('guess-x'), from })).status).toBe(429);
    expect((await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.team1Token), from })).status).toBe(429);
    expect((await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.team1Token), from: '127.0.0.30' })).status).toBe(200);
  });

  test('1,000 inspection streams from one address: a few open, the rest refused or closed; an honest client is served fast', async () => {
    const from = '127.0.0.31';
    const outcomes = { open: 0, refused: 0, closed: 0 };
    const sockets = await Promise.all(
      Array.from({ length: 1000 }, () =>
        new Promise<import('node:net').Socket>((resolve) => {
          const socket = connect({ host: '127.0.0.1', port: web.port, localAddress: from });
          let head = '';
          socket.on('data', (d: Buffer) => {
            if (head) return;
            head = d.toString('latin1');
            if (head.startsWith('HTTP/1.1 200')) outcomes.open++;
            else outcomes.refused++;
            resolve(socket);
          });
          socket.on('error', () => undefined);
          socket.on('close', () => {
            if (!head) {
              outcomes.closed++;
              resolve(socket);
            }
          });
          socket.write(`GET /api/inspect/stream HTTP/1.1\r\nHost: 127.0.0.1:${web.port}\r\nAuthorization: Bearer ${SECRETS.adminToken}\r\n\r\n`);
        }),
      ),
    );
    try {
      expect(outcomes.open).toBe(8);
      expect(outcomes.open + outcomes.refused + outcomes.closed).toBe(1000);
      const t0 = performance.now();
      const honest = await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.adminToken) });
      const ms = performance.now() - t0;
      expect(honest.status).toBe(200);
      expect((JSON.parse(honest.body) as HubSnapshot).actors.length).toBeGreaterThan(0);
      console.log(`honest snapshot request during 1,000 streams from one address: ${ms.toFixed(1)} ms (${JSON.stringify(outcomes)})`);
    } finally {
      for (const s of sockets) s.destroy();
    }
  });

  test('a slowloris client is cut off at the header timeout; an honest client is served meanwhile', async () => {
    const socket = connect({ host: '127.0.0.1', port: web.port, localAddress: '127.0.0.32' });
    socket.on('error', () => undefined);
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(performance.now())));
    const t0 = performance.now();
    socket.write('GET /api/whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200);
    try {
      expect((await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.adminToken) })).status).toBe(200);
      const after = (await closed) - t0;
      expect(after).toBeGreaterThan(1000);
      expect(after).toBeLessThan(6000);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  test("a team token sees only its own team's actors in the inspector: the stream itself, not just the page", async () => {
    const snapshot = JSON.parse((await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.team1Token) })).body) as HubSnapshot;
    const teams = new Set(snapshot.actors.filter((a) => a.team !== undefined).map((a) => a.team));
    expect([...teams]).toEqual([1]);
    expect(snapshot.actors.some((a) => a.kind === 'check')).toBe(true);
    for (const a of snapshot.actors.filter((x) => x.kind === 'scan')) {
      expect(a.counts).toBeUndefined();
      expect(a.events).toEqual([]);
    }
    const admin = JSON.parse((await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.adminToken) })).body) as HubSnapshot;
    expect(new Set(admin.actors.filter((a) => a.team !== undefined).map((a) => a.team))).toEqual(new Set([1, 2]));
    // The live stream's first event, read raw.
    const stream = await firstStreamEvent(`${web.url}/api/inspect/stream`, SECRETS.team1Token);
    expect(stream).toMatch(/^event: snapshot/m);
    expect(stream).not.toMatch(/"team":2\b/);
    assertNoSecrets(stream, 'team-scoped stream');
  });

  test('password changes and check-now are in the audit log (who, when, what; never the value), for the admin only', async () => {
    await http(`${web.url}/api/password`, { method: 'POST', headers: { ...bearer(SECRETS.team1Token), ...json }, body: JSON.stringify({ key: 'rootpw', value: 'S3cret-audit' }) });
    const log = await http(`${web.url}/api/audit`, { headers: bearer(SECRETS.adminToken) });
    expect(log.status).toBe(200);
    const entries = (JSON.parse(log.body) as { entries: Array<Record<string, unknown>> }).entries;
    expect(entries[0]).toMatchObject({ actor: 'team 1 from 127.0.0.1', action: 'password-change', team: 1, subject: 'rootpw', detail: 'from round 2' });
    expect(typeof entries[0]!.at).toBe('string');
    expect(log.body).not.toMatch(/S3cret-audit|fine|pwned/);
    expect((await http(`${web.url}/api/audit`, { headers: bearer(SECRETS.team1Token) })).status).toBe(403);
  });
});

/** The first SSE event of a stream, as text. */
function firstStreamEvent(url: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: bearer(token) }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => {
        text += d.toString('utf8');
        if (text.includes('\n\nevent:') || /event: snapshot\ndata: .*\n\n/.test(text)) {
          req.destroy();
          resolve(text);
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}
