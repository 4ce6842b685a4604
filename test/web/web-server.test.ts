/**
 * The web server without a browser: where it binds, who may ask what, the body limit,
 * security headers, constant-time token comparison and the SSE stream's resume.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';

const spies = vi.hoisted(() => ({ timingSafeEqual: 0 }));
vi.mock('node:crypto', async (original) => {
  const crypto = await original<typeof import('node:crypto')>();
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      spies.timingSafeEqual++;
      return crypto.timingSafeEqual(a, b);
    },
  };
});

const { createEngine } = await import('../../src/engine.js');
const { InspectionHub } = await import('../../src/inspection/inspection-hub.js');
const { MemoryStore } = await import('../../src/store/memory-store.js');
const { MAX_BODY_BYTES } = await import('../../src/web/http-helpers.js');
const { tokensEqual } = await import('../../src/web/token-auth.js');
const { startWebServer } = await import('../../src/web/web-server.js');
const { recordingType, registryOf } = await import('../support/recording-types.js');
const { SECRETS, TOKENS, bearer, http, secretCompetition, assertNoSecrets } = await import('../visualizer/support.js');

type WebServer = Awaited<ReturnType<typeof startWebServer>>;
let web: WebServer;
let engine: ReturnType<typeof createEngine>;
let hub: InstanceType<typeof InspectionHub>;

describe('web server API', () => {
  beforeAll(async () => {
    engine = createEngine({ registry: registryOf(recordingType('web', [])), store: new MemoryStore() });
    hub = new InspectionHub(engine, { tickMs: 0 });
    web = await startWebServer({ tokens: TOKENS, hub });
  });
  afterAll(() => web.close());

  test('binds 127.0.0.1 by default', () => {
    expect(web.server.address()).toMatchObject({ address: '127.0.0.1' });
    expect(web.url).toBe(`http://127.0.0.1:${web.port}`);
  });

  test('every API route needs a valid token; static pages do not', async () => {
    expect((await http(`${web.url}/inspector.html`)).status).toBe(200);
    expect((await http(`${web.url}/style.css`)).status).toBe(200);
    for (const path of ['/api/whoami', '/api/inspect/snapshot', '/api/stuck', '/api/scanner']) {
      expect((await http(`${web.url}${path}`)).status).toBe(401);
      expect((await http(`${web.url}${path}`, { headers: bearer('tok-WRONG-0123456789abcdef') })).status).toBe(401);
      expect((await http(`${web.url}${path}`, { headers: { Cookie: 'sk_token=short' } })).status).toBe(401);
    }
    const me = await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.team2Token) });
    expect(JSON.parse(me.body)).toMatchObject({ role: 'team', team: 2, mode: 'live' });
    expect((await http(`${web.url}/api/whoami`, { headers: { Cookie: `sk_token=${SECRETS.adminToken}` } })).status).toBe(200);
  });

  test('a ?token= is swapped for an HttpOnly cookie and removed from the address', async () => {
    const ok = await http(`${web.url}/scanner.html?token=${SECRETS.team1Token}&x=1`);
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/scanner.html?x=1');
    expect(String(ok.headers['set-cookie'])).toMatch(/^sk_token=tok-TEAM1-[^;]+; HttpOnly; SameSite=Strict; Path=\/$/);
    // Never a redirect to another site.
    for (const path of ['//evil.example/?token=x', '/.//evil.example/?token=x', '/./\\evil.example/?token=x']) {
      // Sent as is (a URL string would be normalized by the client first).
      const location = await new Promise<string | undefined>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: web.port, path }, (res) => {
          res.resume();
          resolve(res.headers.location);
        });
        req.on('error', reject);
        req.end();
      });
      expect(location).toMatch(/^\/(?![/\\])/);
    }
    const bad = await http(`${web.url}/scanner.html?token=nope`);
    expect(bad.status).toBe(303);
    expect(bad.headers['set-cookie']).toBeUndefined();
  });

  test('a team token gets the inspector scoped to its own team (issue-24.test.ts has the details)', async () => {
    for (const path of ['/api/inspect/snapshot', '/api/stuck']) {
      const res = await http(`${web.url}${path}`, { headers: bearer(SECRETS.team1Token) });
      expect(res.status).toBe(200);
      expect(res.body).not.toMatch(/"team":2\b/);
    }
  });

  test('no-store, nosniff and CSP on pages, API answers and errors', async () => {
    for (const [path, headers] of [['/inspector.html', {}], ['/api/whoami', bearer(SECRETS.adminToken)], ['/api/nothing', bearer(SECRETS.adminToken)], ['/nothing', {}]] as const) {
      const res = await http(`${web.url}${path}`, { headers });
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'none'; script-src 'self'/);
    }
  });

  test('request bodies over 16 KiB are refused with 413; non-JSON with 415', async () => {
    const headers = { ...bearer(SECRETS.adminToken), 'Content-Type': 'application/json' };
    const big = JSON.stringify({ key: 'rootpw', value: 'x'.repeat(MAX_BODY_BYTES) });
    expect((await http(`${web.url}/api/password`, { method: 'POST', headers, body: big })).status).toBe(413);
    // Chunked, without a Content-Length: counted as it arrives.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = request(`${web.url}/api/password`, { method: 'POST', headers: { ...headers, 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 20; i++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(chunked).toBe(413);
    const text = await http(`${web.url}/api/password`, { method: 'POST', headers: { ...bearer(SECRETS.adminToken), 'Content-Type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
  });

  test('tokens are compared in constant time, on hashes (any length)', async () => {
    const before = spies.timingSafeEqual;
    expect(tokensEqual('a', 'a much longer token')).toBe(false);
    expect(tokensEqual(SECRETS.adminToken, SECRETS.adminToken)).toBe(true);
    expect(spies.timingSafeEqual).toBe(before + 2);
    const count = spies.timingSafeEqual;
    await http(`${web.url}/api/whoami`, { headers: bearer('x') });
    // Every known token (admin + 2 teams) is compared, even when none matches.
    expect(spies.timingSafeEqual - count).toBe(3);
    const again = spies.timingSafeEqual;
    await http(`${web.url}/api/whoami`, { headers: bearer(SECRETS.adminToken) });
    expect(spies.timingSafeEqual - again).toBe(3);
  });

  test('the SSE stream sends a snapshot, numbered messages, and resumes after Last-Event-ID', async () => {
    const registry = registryOf(recordingType('web', []));
    const local = createEngine({ registry, store: new MemoryStore() });
    const localHub = new InspectionHub(local, { tickMs: 0 });
    const server = await startWebServer({ tokens: TOKENS, hub: localHub });
    try {
      const first = openStream(server.url);
      await first.until((events) => events.some((e) => e.event === 'snapshot'));
      await local.scan(secretCompetition(2, [{ name: 'www', type: 'web' }, { name: 'ftp', type: 'web' }])).summary;
      // 1 scan + 2 teams + 4 checks, every one done.
      const doneActors = (es: SseEvent[]) => new Set(es.filter((e) => e.event === 'actor' && e.data.includes('"status":"done"')).map((e) => (JSON.parse(e.data) as { actor: { id: string } }).actor.id)).size;
      const events = await first.until((es) => doneActors(es) === 7);
      first.close();
      const ids = events.filter((e) => e.id !== undefined).map((e) => Number(e.id));
      expect(ids.slice(1)).toEqual(ids.slice(1).map((_, i) => ids[1]! + i)); // consecutive after the snapshot
      expect(ids.length).toBeGreaterThan(7);
      const middle = ids[Math.floor(ids.length / 2)]!;
      // Resume: only the messages after middle, no snapshot.
      const second = openStream(server.url, String(middle));
      const resumed = await second.until((es) => es.filter((e) => e.event === 'actor').length >= ids.length - 1 - ids.indexOf(middle));
      second.close();
      expect(resumed.some((e) => e.event === 'snapshot')).toBe(false);
      expect(Number(resumed.find((e) => e.id !== undefined)?.id)).toBe(middle + 1);
      // An id the hub no longer keeps: a fresh snapshot.
      const third = openStream(server.url, '999999');
      const fresh = await third.until((es) => es.some((e) => e.event === 'snapshot'));
      third.close();
      expect(fresh[0]?.event).toBe('snapshot');
      for (const e of [...events, ...resumed, ...fresh]) assertNoSecrets(e.data, 'SSE');
    } finally {
      await server.close();
    }
  });
});

interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** An SSE client that parses events and waits for a condition on them. */
function openStream(base: string, lastEventId?: string) {
  const events: SseEvent[] = [];
  let buffer = '';
  const waiters: Array<() => void> = [];
  const req = request(`${base}/api/inspect/stream`, { headers: { ...bearer(SECRETS.adminToken), ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}) } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const e: SseEvent = { id: undefined, event: 'message', data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('data: ')) e.data += line.slice(6);
        }
        if (e.data) events.push(e);
      }
      for (const w of waiters.splice(0)) w();
    });
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return {
    close: () => req.destroy(),
    until: (condition: (events: SseEvent[]) => boolean) =>
      new Promise<SseEvent[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`SSE condition not met; got ${events.map((e) => e.event).join(',')}`)), 10_000);
        const check = () => {
          if (condition(events)) {
            clearTimeout(timer);
            resolve([...events]);
          } else waiters.push(check);
        };
        check();
      }),
  };
}
