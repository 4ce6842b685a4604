/**
 * Issue 21, points 2 and 3 in the inspector: the loop running rounds says before the
 * first round that a round may not fit its interval, and after each round how late the
 * engine's thread ran (event-loop lag) and what its overload cost. Both reach the
 * inspector's snapshot (/api/inspect/snapshot) and stream.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { runLoop } from '../../src/cli/run-loop.js';
import { createEngine } from '../../src/engine.js';
import type { HubMessage, HubSnapshot } from '../../src/inspection/hub-messages.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { ServiceRegistry } from '../../src/registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Competition } from '../../src/types.js';
import { startWebServer } from '../../src/web/web-server.js';
import { SECRETS, TOKENS, bearer, http } from '../visualizer/support.js';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('the scanner’s health in the inspector', () => {
  test('a plan that may not fit before the round, the event-loop lag after it', async () => {
    const port = await closedPort();
    const registry = new ServiceRegistry();
    registerBuiltinChecks(registry);
    const competition: Competition = {
      name: 'health-cup',
      teams: [{ number: 1, name: 'Team1' }, { number: 2, name: 'Team2' }],
      services: Array.from({ length: 10 }, (_, i) => ({ name: `s${i}`, type: 'tcp', host: '127.0.0.1', port, timeoutMs: 2000 })),
    };
    const engine = createEngine({ registry, store: new MemoryStore(), concurrency: 2 });
    const hub = new InspectionHub(engine, { tickMs: 0, lingerMs: 0 });
    const web = await startWebServer({ tokens: TOKENS, hub });
    const messages: HubMessage[] = [];
    const sub = hub.messages$.subscribe((m) => messages.push(m));
    const out = new PassThrough();
    let printed = '';
    out.on('data', (d: Buffer) => (printed += d.toString()));
    try {
      await runLoop({ engine, competition, intervalMs: 5000, jitterMs: 0, rounds: 1, out, onHealth: (h) => hub.setHealth(h) });
      const snapshot = JSON.parse((await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.team1Token) })).body) as HubSnapshot;
      expect(snapshot.health?.fitWarning).toBe(
        'a round may not fit its 5 s interval: if every service hangs, 20 checks at concurrency 2 take 20 s; at most 4 checks fit. To fit, raise scan.concurrency to at least 8, lower the timeouts, or lengthen scan.interval',
      );
      expect(printed).toContain(`warning: ${snapshot.health!.fitWarning}`);
      const last = snapshot.health?.lastRound;
      expect(last).toMatchObject({ round: 1, rerun: 0, overloaded: 0 });
      expect(last!.loopLag.p99Ms).toBeGreaterThanOrEqual(last!.loopLag.p50Ms);
      expect(last!.loopLag.maxMs).toBeGreaterThanOrEqual(last!.loopLag.p99Ms);
      const health = messages.filter((m) => m.kind === 'health');
      expect(health).toHaveLength(2);
      expect(health[0]).toMatchObject({ health: { fitWarning: snapshot.health!.fitWarning } });
      expect(health[1]).toMatchObject({ health: { fitWarning: snapshot.health!.fitWarning, lastRound: { round: 1 } } });
    } finally {
      sub.unsubscribe();
      await web.close();
      await engine.close();
    }
  });
});
