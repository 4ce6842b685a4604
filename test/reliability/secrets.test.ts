/**
 * Secrets stay secret when services misbehave: a hostile web server (the red team's)
 * echoes the credentials it receives back in redirects, cookies and bodies. Every
 * configured password, secret param and token must be absent from the log file, from
 * the CLI's output (`scan --json`, `results`, `export`) and from the stored rows.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { once } from 'node:events';
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { connectDb, type DbHandle } from '../../src/db/connect-db.js';
import { freePort } from '../support/daemon.js';
import { TEST_DATABASE_URL, freshSchemaName } from '../support/pg.js';
import { requireBuiltCli, runCli } from './support/cli.js';

const SECRETS = {
  explicit: 'Expl1cit Pa55&Qx7w/é',
  teamInfo1: 'Team1-W3b-Pw-Zk4r',
  teamInfo2: 'Team2-W3b-Pw-Zk5s',
  pool1: 'P00l+Pw=Mn8a?one',
  pool2: 'P00l-Pw-Mn8b-two',
  passphrase: 'Pa55phrase-S3cret-Vb9',
  adminToken: 'Adm1n-T0ken-Value-0123456789',
  teamToken1: 'Team1-T0ken-Value-0123456789',
  teamToken2: 'Team2-T0ken-Value-9876543210',
};

/** Every secret, and the forms a leak could take (basic-auth base64, URL-encoded). */
function secretForms(): string[] {
  const forms = new Set<string>();
  for (const s of Object.values(SECRETS)) {
    forms.add(s);
    forms.add(encodeURIComponent(s));
  }
  for (const [user, pw] of [['scorer', SECRETS.explicit], ['alice', SECRETS.pool1], ['bob', SECRETS.pool2]] as const) {
    forms.add(Buffer.from(`${user}:${pw}`).toString('base64'));
  }
  return [...forms];
}

/** A web server that reflects every credential it is sent. */
async function hostileServer() {
  const sockets = new Set<Socket>();
  const body = async (req: IncomingMessage) => {
    let text = '';
    for await (const chunk of req) text += String(chunk);
    return text;
  };
  const server = createServer((req, res) => {
    void (async () => {
      const auth = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const posted = req.method === 'POST' ? await body(req) : '';
      const stolen = encodeURIComponent(`${auth}|${posted}|${req.headers.cookie ?? ''}`);
      if (req.url === '/login') {
        res.writeHead(200, { 'set-cookie': `session=${stolen}` }).end(`Invalid login, you sent ${decodeURIComponent(stolen)}`);
      } else {
        res.writeHead(302, { location: `/denied?got=${stolen}&raw=${auth}` }).end(`denied: ${auth} ${posted}`);
      }
    })();
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let server: Awaited<ReturnType<typeof hostileServer>>;
let dir: string;
let config: string;
// The CLI runs on the real PostgreSQL (a fresh schema): no embedded start per command.
const schema = freshSchemaName();
const env = { DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}` };
let admin: DbHandle;

beforeAll(async () => {
  requireBuiltCli();
  server = await hostileServer();
  admin = connectDb({ connection: TEST_DATABASE_URL, max: 1 });
  await admin.db.none('CREATE SCHEMA $1:name', [schema]);
  dir = mkdtempSync(join(tmpdir(), 'sk-secrets-'));
  config = join(dir, 'competition.yaml');
  writeFileSync(
    config,
    `name: secret-cup
scan: { interval: 60, timeout: 5 }
teams: [{ number: 1 }, { number: 2 }]
services:
  - name: basic
    type: http
    host: 127.0.0.1
    port: ${server.port}
    credentials: { username: scorer, password: "${SECRETS.explicit}" }
    params: { path: /admin, auth: basic }
  - name: form
    type: http
    host: 127.0.0.1
    port: ${server.port}
    credentials: { username: admin, passwordKey: web_pw }
    params: { path: /account, auth: form, login: { path: /login } }
  - name: pooled
    type: http
    host: 127.0.0.1
    port: ${server.port}
    credentials: { pool: web-users }
    params: { path: /pool, auth: basic, expect: { contains: "welcome" } }
  - name: shell
    type: ssh
    host: 127.0.0.1
    port: ${await freePort()}
    credentials: { username: scorer, password: "${SECRETS.explicit}" }
    params: { passphrase: "${SECRETS.passphrase}" }
teamInfo:
  1: { web_pw: "${SECRETS.teamInfo1}" }
  2: { web_pw: "${SECRETS.teamInfo2}" }
pools:
  web-users:
    1: [{ username: alice, password: "${SECRETS.pool1}" }]
    2: [{ username: bob, password: "${SECRETS.pool2}" }]
tokens:
  admin: "${SECRETS.adminToken}"
  teams: { 1: "${SECRETS.teamToken1}", 2: "${SECRETS.teamToken2}" }
`,
  );
});

afterAll(async () => {
  await server?.close();
  await admin?.db.none('DROP SCHEMA IF EXISTS $1:name CASCADE', [schema]);
  await admin?.end();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The `what` outputs that contain any secret form, with the first leaking excerpt. */
function leaks(outputs: Record<string, string>): Record<string, string> {
  const found: Record<string, string> = {};
  for (const [what, text] of Object.entries(outputs)) {
    for (const secret of secretForms()) {
      const at = text.indexOf(secret);
      if (at >= 0) {
        found[what] = text.slice(Math.max(0, at - 80), at + secret.length + 20);
        break;
      }
    }
  }
  return found;
}

describe('secrets', () => {
  test('no configured password, secret param or token appears in logs, CLI output or stored rows', async () => {
    const logFile = join(dir, 'scan.log');
    const scan = await runCli(['scan', '--config', config, '--json', '--log-file', logFile], env);
    expect(scan.code, scan.stderr).toBe(0);
    const doc = JSON.parse(scan.stdout) as { results: Array<{ service: string; error: string | null }> };
    // The hostile server did get the credentials, and every check failed on its answer.
    expect(doc.results).toHaveLength(8);
    expect(doc.results.every((r) => r.error !== null && r.error.length > 0)).toBe(true);

    const [results, csv, json] = await Promise.all([
      runCli(['results', '--config', config, '--json'], env),
      runCli(['export', '--config', config, '--format', 'csv'], env),
      runCli(['export', '--config', config, '--format', 'json'], env),
    ]);
    for (const r of [results, csv, json]) expect(r.code, r.stderr).toBe(0);

    const dump = async (table: string) => (await admin.db.map('SELECT row_to_json(t)::text AS j FROM $1:name.$2:name t', [schema, table], (r: { j: string }) => r.j)).join('\n');
    const rows = { checks: await dump('checks'), scans: await dump('scans'), services: await dump('services'), round_scores: await dump('round_scores') };
    expect(rows.checks).toContain('"error"');

    const outputs = {
      'scan --json stdout': scan.stdout,
      'scan stderr': scan.stderr,
      'log file': readFileSync(logFile, 'utf8'),
      'results --json': results.stdout + results.stderr,
      'export csv': csv.stdout + csv.stderr,
      'export json': json.stdout + json.stderr,
      ...Object.fromEntries(Object.entries(rows).map(([k, v]) => [`stored ${k} rows`, v])),
    };
    expect(leaks(outputs)).toEqual({});
    // The search itself works: the config file holds every secret.
    expect(Object.keys(leaks({ config: readFileSync(config, 'utf8') }))).toEqual(['config']);
    // The leak the hostile server tried is visible, redacted.
    expect(doc.results.find((r) => r.service === 'basic')!.error).toMatch(/^HTTP 302 to \/denied\?got=scorer%3A\[redacted\].*raw=scorer:\[redacted\] from \/admin \(expected 200\)$/);
  }, 60_000);
});
