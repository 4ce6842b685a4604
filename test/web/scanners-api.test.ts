/**
 * GET /api/scanners: in distributed mode the admin sees the scanners registry (zone,
 * alive, checks held, lag, last heard); a team token is refused (zones name network
 * segments), and a server that runs its checks itself says there are none.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { ServiceRegistry } from '../../src/registry.js';
import type { ScannerInfo } from '../../src/scale-out/scanners-registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { SECRETS, TOKENS, bearer, http } from '../visualizer/support.js';

const scanner: ScannerInfo = { id: 's1', zone: 'dmz', host: 'scan-a', pid: 42, concurrency: 500, held: 3, ran: 120, lagMs: 4, startedAt: 1_000, heardAt: 2_000, alive: true, stopping: false };

let web: WebServer | undefined;
afterEach(async () => {
  await web?.close();
  web = undefined;
});

async function server(withScanners: boolean) {
  const hub = new InspectionHub(createEngine({ registry: new ServiceRegistry(), store: new MemoryStore() }), { tickMs: 0 });
  web = await startWebServer({ tokens: TOKENS, hub, ...(withScanners ? { scanners: async () => [scanner] } : {}) });
  return web.url;
}

describe('GET /api/scanners', () => {
  test('the admin gets the registry; whoami says the page should show it', async () => {
    const url = await server(true);
    const r = await http(`${url}/api/scanners`, { headers: bearer(SECRETS.adminToken) });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({ scanners: [scanner] });
    expect(JSON.parse((await http(`${url}/api/whoami`, { headers: bearer(SECRETS.adminToken) })).body)).toMatchObject({ scanners: true });
  });

  test('a team token is refused, and its whoami does not offer the panel', async () => {
    const url = await server(true);
    expect((await http(`${url}/api/scanners`, { headers: bearer(SECRETS.team1Token) })).status).toBe(403);
    expect(JSON.parse((await http(`${url}/api/whoami`, { headers: bearer(SECRETS.team1Token) })).body)).toMatchObject({ scanners: false });
  });

  test('a server that runs its checks itself has no scanners: 404 saying so', async () => {
    const url = await server(false);
    const r = await http(`${url}/api/scanners`, { headers: bearer(SECRETS.adminToken) });
    expect(r.status).toBe(404);
    expect(r.body).toContain('does not run checks on scanners');
  });
});
