import { describe, expect, test } from 'vitest';
import { Limiter } from '../../src/limiter.js';
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
});
