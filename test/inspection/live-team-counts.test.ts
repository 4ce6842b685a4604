/**
 * Issue 20, point 6: the inspector tells the truth while checks hang. A team with one
 * check hanging on a server that accepts and never answers, and two that end at once:
 * while the hanging one runs, the team's counts already say 2 done, in the hub's
 * snapshot (what /api/inspect/snapshot answers), watched or not, and on the stream. And
 * between rounds the snapshot and the stream say when the next round starts.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { createEngine } from '../../src/engine.js';
import type { ActorView, HubMessage, HubSnapshot } from '../../src/inspection/hub-messages.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { ServiceRegistry } from '../../src/registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Competition } from '../../src/types.js';
import { startWebServer } from '../../src/web/web-server.js';
import { waitUntil } from '../reliability/support/wait-until.js';
import { SECRETS, TOKENS, bearer, http } from '../visualizer/support.js';

const held: Socket[] = [];
let hangServer: Server;
let lateServer: Server;
let closedPort = 0;
let hangPort = 0;
let latePort = 0;

beforeAll(async () => {
  hangServer = createServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => hangServer.listen(0, '127.0.0.1', resolve));
  hangPort = (hangServer.address() as AddressInfo).port;
  // Closes 300 ms after accepting, without a banner: a check that ends after the first one.
  lateServer = createServer((socket) => void setTimeout(() => socket.destroy(), 300));
  await new Promise<void>((resolve) => lateServer.listen(0, '127.0.0.1', resolve));
  latePort = (lateServer.address() as AddressInfo).port;
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});

afterAll(() => {
  for (const socket of held) socket.destroy();
  hangServer.close();
  lateServer.close();
});

function competition(): Competition {
  const team = { number: 1, name: 'Team1' };
  const service = (name: string, port: number, timeoutMs: number, params: Record<string, unknown> = {}) => ({
    id: `team-1/${name}`, name, type: 'tcp', host: '127.0.0.1', port, points: 1, timeoutMs, params, team,
  });
  return {
    name: 'live-counts',
    teams: [team],
    services: [
      service('hang', hangPort, 6000, { banner: { contains: '220' } }),
      service('closed-a', closedPort, 2000),
      service('late', latePort, 2000, { banner: { contains: '220' } }),
    ],
  };
}

const teamView = (snapshot: HubSnapshot): ActorView | undefined => snapshot.actors.find((a) => a.kind === 'team' && a.team === 1);

describe("a team's counts while one of its checks hangs", () => {
  test('the snapshot shows both ended checks within a display frame, watched or not, and the stream sends them', async () => {
    const registry = new ServiceRegistry();
    registerBuiltinChecks(registry);
    const engine = createEngine({ registry, store: new MemoryStore() });
    const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
    const web = await startWebServer({ tokens: TOKENS, hub });
    const handle = engine.scan(competition());
    try {
      // Unwatched: the hub reads the running scan (polled here: the API is rate limited),
      // and /api/inspect/snapshot answers the same.
      await waitUntil('2 done in the snapshot', () => teamView(hub.snapshot())?.counts?.checks === 2, 10_000);
      const answer = await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.adminToken) });
      expect(answer.status).toBe(200);
      const unwatched = JSON.parse(answer.body) as HubSnapshot;
      expect(teamView(unwatched)?.counts).toEqual({ checks: 2, up: 0, down: 2 });
      const hanging = unwatched.actors.find((a) => a.service === 'hang');
      expect(hanging?.state).toBe('checking');

      // Watched: a watcher that joins now gets the counts in its snapshot, and the stream
      // carries them for a watcher that joined before they changed (next scan).
      const messages: HubMessage[] = [];
      const sub = hub.messages$.subscribe((m) => messages.push(m));
      expect(teamView(hub.snapshot())?.counts?.checks).toBe(2);
      await handle.summary;
      const next = engine.scan(competition());
      await waitUntil('2 done on the stream', () => messages.some((m) => m.kind === 'actor' && m.actor.kind === 'team' && m.actor.id.startsWith('scan-2') && m.actor.counts?.checks === 2), 10_000);
      const during = messages.filter((m) => m.kind === 'actor' && m.actor.id === 'scan-2/team-1').at(-1);
      expect(during?.kind === 'actor' && during.actor.status).toBe('active');
      expect(hub.snapshot().actors.find((a) => a.id === 'scan-2/team-1')?.counts).toMatchObject({ checks: 2 });
      expect(hub.snapshot().actors.find((a) => a.id === 'scan-2/team-1/hang')?.state).toBe('checking');
      next.stop();
      await next.summary;
      sub.unsubscribe();
    } finally {
      handle.stop();
      await handle.summary.catch(() => undefined);
      await web.close();
    }
  }, 30_000);

  test('between rounds the snapshot and the stream say when the next round starts', async () => {
    const engine = createEngine({ registry: new ServiceRegistry(), store: new MemoryStore() });
    const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
    const web = await startWebServer({ tokens: TOKENS, hub });
    try {
      const at = Date.now() + 30_000;
      hub.setNextRound({ at, round: 4 });
      const body = JSON.parse((await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.team1Token) })).body) as HubSnapshot;
      expect(body.nextRound).toEqual({ at, round: 4 });
      const messages: HubMessage[] = [];
      const sub = hub.messages$.subscribe((m) => messages.push(m));
      hub.setNextRound(undefined);
      expect(hub.snapshot().nextRound).toBeUndefined();
      expect(messages.at(-1)).toMatchObject({ kind: 'schedule', nextRound: null });
      sub.unsubscribe();
    } finally {
      await web.close();
    }
  });
});
