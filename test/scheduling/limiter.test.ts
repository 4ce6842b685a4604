import { describe, expect, test } from 'vitest';
import { Limiter } from '../../src/scheduling/limiter.js';
import { createEngine, ServiceRegistry, ServiceType, type Service } from 'scorekeeper';
import { competitionOf, recordingType, registryOf, runScan } from '../support/recording-types.js';

describe('a scan-wide concurrency limit', () => {
  test('never more checks running at once than the limit, across teams', async () => {
    let running = 0;
    let peak = 0;
    const registry = registryOf(
      recordingType('probe', [], {
        behaviour: {
          do: 'custom',
          fn: async (type, service) => {
            running++;
            peak = Math.max(peak, running);
            // Yield a few times so other checks could start if the limit allowed it.
            for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
            running--;
            type.reportScore(service, 1);
          },
        },
      }),
    );
    const { summary, engine } = await runScan(registry, competitionOf(20, [{ name: 'a', type: 'probe' }, { name: 'b', type: 'probe' }, { name: 'c', type: 'probe' }]), { concurrency: 7 });
    expect(summary).toMatchObject({ checks: 60, up: 60 });
    expect(peak).toBe(7);
    expect(engine.limiter.inUse).toBe(0);
  });

  test('the limiter hands a freed slot to the first waiter, on a microtask', async () => {
    const limiter = new Limiter(1);
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(false);
    const order: string[] = [];
    limiter.enqueue(() => order.push('a'));
    limiter.enqueue(() => order.push('b'));
    limiter.release();
    expect(order).toEqual([]);
    await Promise.resolve();
    expect(order).toEqual(['a']);
    expect(limiter.inUse).toBe(1);
    limiter.release();
    limiter.release();
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(limiter.inUse).toBe(0);
    expect(() => new Limiter(0)).toThrow('concurrency must be an integer >= 1, got 0');
  });

  test('reserved slots are kept from the queue until their team has asked', async () => {
    const limiter = new Limiter(4);
    limiter.reserve(2);
    const order: string[] = [];
    // The queue gets the two unreserved slots only.
    for (const name of ['a', 'b', 'c']) limiter.enqueue(() => order.push(name));
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(limiter.waiting).toBe(1);
    // The reserved slots are for direct takers.
    expect(limiter.tryAcquire()).toBe(true);
    expect(limiter.tryAcquire()).toBe(true);
    // A slot freed while the reservation holds goes back to the pool, not to the queue.
    limiter.release();
    await Promise.resolve();
    expect(order).toEqual(['a', 'b']);
    expect(limiter.inUse).toBe(3);
    // The reservation ends: the queue gets the free slot.
    limiter.unreserve(2);
    await Promise.resolve();
    expect(order).toEqual(['a', 'b', 'c']);
    expect(limiter.inUse).toBe(4);
  });

  test('every team starts its first checks in the first wave, however many teams came before', async () => {
    // 12 teams of 8 services with 24 slots: a share of 2 each. Team 1 alone would take
    // all 8 at once; with shares, the first two services of every team start before any
    // team's third.
    const registry = new ServiceRegistry();
    const started: string[] = [];
    class Slow extends ServiceType {
      readonly shortName = 'slow';
      override async doCheck(service: Service): Promise<void> {
        started.push(service.name);
        await new Promise((resolve) => setTimeout(resolve, 30));
        this.reportScore(service, service.points);
      }
    }
    registry.register(Slow);
    const engine = createEngine({ registry, concurrency: 24 });
    const summary = await engine.scan({
      name: 'fair',
      teams: Array.from({ length: 12 }, (_, i) => ({ number: i + 1 })),
      services: Array.from({ length: 8 }, (_, i) => ({ name: `s${i}`, type: 'slow', host: '127.0.0.1' })),
    }).summary;
    expect(summary).toMatchObject({ checks: 96, up: 96 });
    const firstWave = started.slice(0, 24);
    expect(firstWave.filter((name) => name === 's0' || name === 's1')).toHaveLength(24);
  });
});
