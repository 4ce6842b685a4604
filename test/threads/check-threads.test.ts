/**
 * Check threads (`checkThreads`): checks of types loaded from a module (built-in checks,
 * plugins) run their hooks in worker threads; everything else, the database and the
 * actor tree stay in the engine's thread. The threads run the built package (dist/),
 * which `npm test` builds first.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { threadId } from 'node:worker_threads';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { createEngine, type Engine } from '../../src/engine.js';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { CheckResult, Competition, Service } from '../../src/types.js';

const plugin = join(import.meta.dirname, '../fixtures/plugins/thread-plugin');

/** Registered by user code: runs in the engine's own thread. */
class HereCheck extends ServiceType {
  readonly shortName = 'here';
  override doCheck(service: Service) {
    this.reportScore(service, 1, `thread ${threadId}`);
  }
}

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => res.end(req.url === '/' ? 'ok from the team' : 'nothing here'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

/** An engine with built-in checks, the thread plugin and a user type. */
async function engineWith(options: { checkThreads?: number | { count: number; stuckAfterMs?: number }; logger?: pino.Logger } = {}): Promise<Engine> {
  const registry = new ServiceRegistry();
  registerBuiltinChecks(registry);
  registry.register(HereCheck);
  const engine = createEngine({ registry, store: new MemoryStore(), plugins: [plugin], ...options });
  await engine.ready();
  return engine;
}

function competition(services: Competition['services'], teams = 2): Competition {
  return { name: 'thread-cup', teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1 })), services };
}

async function scan(engine: Engine, comp: Competition, stopAfterMs?: number) {
  const handle = engine.scan(comp);
  const results: CheckResult[] = [];
  const states: string[] = [];
  handle.results$.subscribe((r) => results.push(r));
  handle.events$.subscribe((e) => {
    if (e.type === 'check.state') states.push(`${e.serviceIds.join(',')}:${e.state}`);
  });
  if (stopAfterMs !== undefined) setTimeout(() => handle.stop('stopped by the test'), stopAfterMs);
  const summary = await handle.summary;
  const of = (team: number, service: string) => results.find((r) => r.team === team && r.service === service)!;
  return { summary, results, states, of };
}

describe('check threads', () => {
  test('built-in and plugin types run in a thread, user-registered types here; results, phases and log lines come back', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const engine = await engineWith({ checkThreads: 1, logger });
    try {
      const { summary, of, states } = await scan(
        engine,
        competition([
          { name: 'web', type: 'http', host: '127.0.0.1', port, params: { expect: { contains: 'ok from the team' } } },
          { name: 'missing', type: 'http', host: '127.0.0.1', port, params: { path: '/gone', expect: { contains: 'ok from the team' } } },
          { name: 'where', type: 'where', host: '127.0.0.1', credentials: { from: 'explicit', username: 'blue', password: 'hunter2-secret' } },
          { name: 'here', type: 'here', host: '127.0.0.1' },
        ]),
      );
      expect(summary).toMatchObject({ checks: 8 });
      for (const team of [1, 2]) {
        expect(of(team, 'web')).toMatchObject({ score: 1, error: null, status: 'finished', resolvedType: 'http' });
        expect(of(team, 'missing').score).toBe(0);
        expect(of(team, 'missing').error).toMatch(/ok from the team/);
        expect(of(team, 'where').error).toMatch(/^thread [1-9]\d*$/);
        expect(of(team, 'here').error).toBe(`thread ${threadId}`);
        expect(of(team, 'web').timings.doCheck).toBeGreaterThan(0);
      }
      // The check actors went through every phase, reported by the thread.
      for (const phase of ['resolving', 'preCheck', 'checking', 'postCheck']) expect(states).toContain(`team-1/where:${phase}`);
      // Log lines from the thread reach the engine's logger, scrubbed of the password.
      const where = lines.filter((l) => l.includes('ran in thread'));
      expect(where).toHaveLength(2);
      expect(where.join('')).not.toContain('hunter2-secret');
      expect(where.join('')).toContain('blue/');
    } finally {
      await engine.close();
    }
  });

  test('a mass check runs in a thread with every team\'s service, and scores each', async () => {
    const engine = await engineWith({ checkThreads: 1 });
    try {
      const { of, summary } = await scan(engine, competition([{ name: 'sweep', type: 'mass-where', host: '127.0.0.1' }], 3));
      expect(summary).toMatchObject({ checks: 3, up: 2, down: 1 });
      expect(of(1, 'sweep')).toMatchObject({ score: 1, error: null });
      expect(of(3, 'sweep')).toMatchObject({ score: 1, error: null });
      expect(of(2, 'sweep').score).toBe(0);
      expect(of(2, 'sweep').error).toMatch(/^thread [1-9]\d*, 3 at once$/);
    } finally {
      await engine.close();
    }
  });

  test('without checkThreads every type runs in the engine thread', async () => {
    const engine = await engineWith();
    try {
      const { of } = await scan(engine, competition([{ name: 'where', type: 'where', host: '127.0.0.1' }], 1));
      expect(of(1, 'where').error).toBe(`thread ${threadId}`);
    } finally {
      await engine.close();
    }
  });

  test('a check in a thread times out at its deadline, and a stopped scan stops the checks in the thread', async () => {
    const engine = await engineWith({ checkThreads: 1 });
    try {
      const timed = await scan(engine, competition([{ name: 'slow', type: 'hang', host: '127.0.0.1', timeoutMs: 300 }], 1));
      expect(timed.of(1, 'slow')).toMatchObject({ score: 0, error: 'timed out after 0.3 s during doCheck' });

      const t0 = Date.now();
      const stopped = await scan(engine, competition([{ name: 'slow', type: 'hang', host: '127.0.0.1', timeoutMs: 10_000 }], 3), 200);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(stopped.results).toHaveLength(3);
      // The same result as a stopped check in the engine's thread.
      const here = await engineWith();
      const inThread = await scan(here, competition([{ name: 'slow', type: 'hang', host: '127.0.0.1', timeoutMs: 10_000 }], 1), 200).finally(() => here.close());
      expect(inThread.of(1, 'slow')).toMatchObject({ score: 0, status: 'interrupted', error: 'interrupted: stopped by the test' });
      for (const r of stopped.results) expect(r).toMatchObject({ score: 0, status: 'interrupted', error: 'interrupted: stopped by the test' });
    } finally {
      await engine.close();
    }
  });

  test('a check that blocks its thread past the deadline has the thread replaced; its neighbours end with the reason; the next scan runs', async () => {
    const engine = await engineWith({ checkThreads: { count: 1, stuckAfterMs: 200 } });
    try {
      const t0 = Date.now();
      const stuck = await scan(
        engine,
        competition([
          { name: 'hog', type: 'block', host: '127.0.0.1', timeoutMs: 200, params: { blockMs: 60_000 } },
          { name: 'slow', type: 'hang', host: '127.0.0.1', timeoutMs: 30_000 },
        ], 1),
      );
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(stuck.of(1, 'hog').score).toBe(0);
      expect(stuck.of(1, 'hog').error).toMatch(/^timed out: the check kept its thread busy past its deadline \(0\.2 s\); the thread was replaced$/);
      expect(stuck.of(1, 'slow').error).toMatch(/check thread was replaced because team-1\/hog kept it busy/);
      const next = await scan(engine, competition([{ name: 'where', type: 'where', host: '127.0.0.1' }], 1));
      expect(next.of(1, 'where').error).toMatch(/^thread [1-9]\d*$/);
    } finally {
      await engine.close();
    }
  });

  test('a thread that crashes (an uncaught exception in a check) is replaced; its checks end with the cause', async () => {
    const engine = await engineWith({ checkThreads: 1 });
    try {
      const crashed = await scan(engine, competition([{ name: 'bad', type: 'crash', host: '127.0.0.1', timeoutMs: 5000 }], 1));
      expect(crashed.of(1, 'bad').score).toBe(0);
      expect(crashed.of(1, 'bad').error).toMatch(/the check thread crashed: boom from a stray timer/);
      const next = await scan(engine, competition([{ name: 'where', type: 'where', host: '127.0.0.1' }], 1));
      expect(next.of(1, 'where').error).toMatch(/^thread [1-9]\d*$/);
    } finally {
      await engine.close();
    }
  });

  test('with only user-registered types no thread is started, and checks run here', async () => {
    const registry = new ServiceRegistry();
    registry.register(HereCheck);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const engine = createEngine({ registry, store: new MemoryStore(), checkThreads: 1, logger });
    try {
      const { of } = await scan(engine, competition([{ name: 'here', type: 'here', host: '127.0.0.1' }], 1));
      expect(of(1, 'here')).toMatchObject({ score: 1, error: `thread ${threadId}` });
      expect(lines.join('')).toContain('no check type was registered from a module');
    } finally {
      await engine.close();
    }
  });

  test('checkThreads must be a whole number of at least 1', () => {
    expect(() => createEngine({ registry: new ServiceRegistry(), checkThreads: 1.5 })).toThrow(/checkThreads must be a whole number ≥ 1, got 1.5/);
  });
});
