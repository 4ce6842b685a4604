/**
 * Issue 25: the web server's last error paths, probed as an attacker would: a broken
 * cookie or request target, control characters in a stored value, a link that switches
 * someone's session, and a large body sent without a token.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TeamInfoChange } from '../../src/db/team-info.js';
import { ServiceRegistry } from '../../src/registry.js';
import type { ScannerStore } from '../../src/web/scanner-api.js';
import { sessionCookie, tokenCookieName } from '../../src/web/session-cookie.js';
import { decideTokenLink } from '../../src/web/token-link.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { SECRETS, TOKENS, bearer, http, secretCompetition } from '../visualizer/support.js';

/** A scanner store that keeps the password changes it was given. */
function fakeScannerStore(): ScannerStore & { changes: TeamInfoChange[] } {
  const changes: TeamInfoChange[] = [];
  return {
    changes,
    results: () => Promise.resolve([]),
    scores: () => Promise.resolve([]),
    teamInfo: () => Promise.resolve({}),
    setTeamInfo: (change) => {
      changes.push(change);
      return Promise.resolve({ effectiveRound: 1 });
    },
  };
}

let web: WebServer;
const store = fakeScannerStore();

beforeAll(async () => {
  const competition = secretCompetition(2, [{ name: 'www', type: 'web' }, { name: 'ssh', type: 'web' }]);
  web = await startWebServer({ tokens: TOKENS, competition, store, registry: new ServiceRegistry() });
});
afterAll(() => web.close());

describe('malformed requests are 4xx, never 500', () => {
  test('a cookie that is not valid percent-encoding is ignored, as no cookie', async () => {
    for (const path of ['/api/whoami', '/api/scanner']) {
      const res = await http(`${web.url}${path}`, { headers: { Cookie: 'sk_token=%E0%A4%A' } });
      expect(res.status).toBe(401);
      expect(res.body).not.toMatch(/URI malformed/);
    }
    // Beside a valid credential it changes nothing.
    expect((await http(`${web.url}/api/whoami`, { headers: { Cookie: 'sk_token=%E0%A4%A', ...bearer(SECRETS.team1Token) } })).status).toBe(200);
    expect((await http(`${web.url}/api/whoami`, { headers: { Cookie: `sk_token=%E0%A4%A; sk_token=${SECRETS.team1Token}` } })).status).toBe(200);
  });

  test('a request target that is not a URL is a 400', async () => {
    const res = await http(`${web.url}//x:99999/api/whoami`);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'malformed request target' });
  });
});

describe('stored text values', () => {
  const change = (value: string) =>
    http(`${web.url}/api/password`, { method: 'POST', headers: { ...bearer(SECRETS.team1Token), 'Content-Type': 'application/json' }, body: JSON.stringify({ key: 'rootpw', value }) });

  test('control characters and unpaired surrogates are refused with a 400 naming the field', async () => {
    for (const [value, problem] of [
      ['new\u0000pw', 'a control character (U+0000) at character 4'],
      ['\u001b[2Jpw', 'a control character (U+001B) at character 1'],
      ['pw\u007f', 'a control character (U+007F) at character 3'],
      ['pw\ud800', 'an unpaired surrogate (U+D800) at character 3'],
      ['\udc00pw', 'an unpaired surrogate (U+DC00) at character 1'],
    ] as const) {
      const res = await change(value);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toEqual({ error: `value contains ${problem}` });
    }
    expect(store.changes).toEqual([]);
  });

  test('any other text is stored as sent', async () => {
    const value = 'pässwörd 😀 "quoted" \\ ok';
    expect((await change(value)).status).toBe(200);
    expect(store.changes.at(-1)).toEqual({ competition: 'viz-cup', team: 1, key: 'rootpw', value });
  });
});

describe('a ?token= link cannot switch a session to another team', () => {
  const open = (token: string, headers: Record<string, string> = {}) => http(`${web.url}/scanner.html?token=${token}&x=1`, { headers });
  const team1 = { Cookie: `sk_token=${SECRETS.team1Token}` };

  test('a link from another site, or a sibling site, is not taken, even without a session', async () => {
    for (const site of ['cross-site', 'same-site', 'Cross-Site']) {
      for (const headers of [{}, team1]) {
        const res = await open(SECRETS.team2Token, { 'Sec-Fetch-Site': site, ...headers });
        expect(res.status).toBe(303);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers.location).toBe('/scanner.html?x=1&token_ignored=cross-site');
      }
    }
  });

  test("a typed or same-origin link never replaces another team's valid session", async () => {
    for (const site of [{ 'Sec-Fetch-Site': 'none' }, { 'Sec-Fetch-Site': 'same-origin' }, {}] as Array<Record<string, string>>) {
      const other = await open(SECRETS.team2Token, { ...site, ...team1 });
      expect(other.headers['set-cookie']).toBeUndefined();
      expect(other.headers.location).toBe('/scanner.html?x=1&token_ignored=other-session');
      const admin = await open(SECRETS.adminToken, { ...site, ...team1 });
      expect(admin.headers['set-cookie']).toBeUndefined();
      // The same principal again, no session yet, or a stale cookie: taken.
      for (const headers of [team1, {}, { Cookie: 'sk_token=rotated-away' }]) {
        const res = await open(SECRETS.team1Token, { ...site, ...headers });
        expect(res.headers.location).toBe('/scanner.html?x=1');
        expect(String(res.headers['set-cookie'])).toBe(sessionCookie(SECRETS.team1Token, { secure: false }));
      }
    }
    const invalid = await open('nope', { 'Sec-Fetch-Site': 'none' });
    expect(invalid.headers['set-cookie']).toBeUndefined();
    expect(invalid.headers.location).toBe('/scanner.html?x=1&token_ignored=invalid');
  });

  test('decideTokenLink: the site check comes first, then the current session', () => {
    const team = (n: number) => ({ role: 'team' as const, team: n });
    const admin = { role: 'admin' as const };
    expect(decideTokenLink({ fetchSite: 'cross-site', offered: team(1), current: undefined })).toEqual({ accept: false, reason: 'cross-site' });
    expect(decideTokenLink({ fetchSite: 'none', offered: team(2), current: team(1) })).toEqual({ accept: false, reason: 'other-session' });
    expect(decideTokenLink({ fetchSite: 'none', offered: admin, current: team(1) })).toEqual({ accept: false, reason: 'other-session' });
    expect(decideTokenLink({ fetchSite: 'none', offered: team(1), current: admin })).toEqual({ accept: false, reason: 'other-session' });
    expect(decideTokenLink({ fetchSite: undefined, offered: undefined, current: undefined })).toEqual({ accept: false, reason: 'invalid' });
    expect(decideTokenLink({ fetchSite: 'same-origin', offered: admin, current: admin })).toEqual({ accept: true, principal: admin });
  });

  test('over TLS the cookie is Secure with the __Host- prefix', async () => {
    expect(tokenCookieName({ secure: true })).toBe('__Host-sk_token');
    expect(sessionCookie('a b;c', { secure: true })).toBe('__Host-sk_token=a%20b%3Bc; Secure; HttpOnly; SameSite=Strict; Path=/');
    expect(sessionCookie('a b;c', { secure: false })).toBe('sk_token=a%20b%3Bc; HttpOnly; SameSite=Strict; Path=/');
    const tls = await startWebServer({ tokens: TOKENS, secureCookie: true });
    try {
      const res = await http(`${tls.url}/?token=${SECRETS.team1Token}`);
      expect(String(res.headers['set-cookie'])).toBe(`__Host-sk_token=${SECRETS.team1Token}; Secure; HttpOnly; SameSite=Strict; Path=/`);
      expect((await http(`${tls.url}/api/whoami`, { headers: { Cookie: `__Host-sk_token=${SECRETS.team1Token}` } })).status).toBe(200);
      // The plain-HTTP name is not read: a page without TLS cannot plant the session.
      expect((await http(`${tls.url}/api/whoami`, { headers: team1 })).status).toBe(401);
    } finally {
      await tls.close();
    }
  });
});

/** What a slow body upload saw: the answer, how much it had sent by then, and what the server read. */
interface Upload {
  readonly answer: string;
  /** Body bytes written before the first byte of the answer arrived. */
  readonly sentBeforeAnswer: number;
  /** Body bytes written in all (the client stops once the server closes). */
  readonly sent: number;
  /** Bytes the server's socket read, headers included. */
  readonly serverRead: number;
  readonly ms: number;
}

const CHUNK = 64 * 1024;
const MAX_CHUNKS = 64; // 4 MiB at most

/**
 * POSTs a chunked body of up to 4 MiB to 127.0.0.1, 64 KiB every 5 ms, and stops at
 * the first sign that the server closed (or after 10 s).
 */
function slowUpload(head: string): Promise<Upload> {
  const started = performance.now();
  let serverSocket: Socket | undefined;
  const onConnection = (socket: Socket) => (serverSocket = socket);
  web.server.once('connection', onConnection);
  return new Promise((resolve, reject) => {
    const client = connect({ host: '127.0.0.1', port: web.port });
    let answer = '';
    let sent = 0;
    let sentBeforeAnswer = -1;
    let closed = false;
    const timer = setTimeout(() => finish(new Error(`no end after 10 s; got ${JSON.stringify(answer.slice(0, 80))}`)), 10_000);
    const finish = (err?: Error) => {
      clearTimeout(timer);
      clearInterval(pump);
      client.destroy();
      web.server.off('connection', onConnection);
      if (err) return reject(err);
      // The server socket's count is final once it closed.
      const read = () => resolve({ answer, sentBeforeAnswer, sent, serverRead: serverSocket?.bytesRead ?? -1, ms: Math.round(performance.now() - started) });
      if (!serverSocket || serverSocket.destroyed) read();
      else serverSocket.once('close', read);
    };
    client.on('data', (d: Buffer) => {
      if (sentBeforeAnswer < 0) sentBeforeAnswer = sent;
      answer += d.toString('latin1');
    });
    client.on('error', () => (closed = true));
    client.on('end', () => (closed = true));
    client.on('close', () => finish());
    client.write(head);
    let chunks = 0;
    const pump = setInterval(() => {
      if (closed || client.destroyed) return;
      if (chunks === MAX_CHUNKS) return void client.end('0\r\n\r\n');
      client.write(`${CHUNK.toString(16)}\r\n${'x'.repeat(CHUNK)}\r\n`);
      sent += CHUNK;
      chunks++;
    }, 5);
  });
}

describe('a body without a valid token is not read', () => {
  const head = (extra = '') => `POST /api/password HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${extra}\r\n`;

  test('the 401 comes at once and the connection closes, the body unread', async () => {
    for (const extra of ['', 'Authorization: Bearer tok-WRONG\r\n', 'Cookie: sk_token=%E0%A4%A\r\n']) {
      const upload = await slowUpload(head(extra));
      console.log(`unauthenticated 4 MiB upload: 401 after ${upload.sentBeforeAnswer} body bytes sent; ${upload.sent} sent in all; server read ${upload.serverRead} bytes; ${upload.ms} ms`);
      expect(upload.answer).toMatch(/^HTTP\/1\.1 401 /);
      expect(upload.answer).toMatch(/\r\nConnection: close\r\n/i);
      expect(upload.sentBeforeAnswer).toBeLessThan(MAX_CHUNKS * CHUNK);
      expect(upload.sent).toBeLessThan(MAX_CHUNKS * CHUNK);
      // Socket buffers let a little more in; nowhere near the whole body.
      expect(upload.serverRead).toBeLessThan((MAX_CHUNKS * CHUNK) / 4);
    }
  });

  test('Expect: 100-continue gets the 401 instead of a 100', async () => {
    const upload = await slowUpload(head('Expect: 100-continue\r\n'));
    expect(upload.answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(upload.serverRead).toBeLessThan((MAX_CHUNKS * CHUNK) / 4);
  });

  test('with a valid token the body is read as before (and refused at 16 KiB)', async () => {
    const upload = await slowUpload(head(`Authorization: Bearer ${SECRETS.team1Token}\r\n`));
    expect(upload.answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});
