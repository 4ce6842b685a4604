import { describe, expect, test } from 'vitest';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import { runCheck } from '../../src/testing/run-check.js';
import type { CheckContext, Service } from '../../src/types.js';

class Up extends ServiceType {
  readonly shortName = 'up';
  override doCheck(service: Service) {
    this.log(service, 'probe', true);
    this.reportScore(service, service.points, null);
  }
}
class Hangs extends ServiceType {
  readonly shortName = 'hangs';
  override doCheck(_s: Service, ctx: CheckContext) {
    return new Promise<void>((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
  }
}
class Ignores extends ServiceType {
  readonly shortName = 'ignores';
  override doCheck() {
    return new Promise<void>(() => undefined); // never settles, ignores the signal
  }
}

describe('runCheck', () => {
  test('a passing check goes through every lifecycle state', async () => {
    const r = await runCheck(new Up(), { host: '10.1.1.5', points: 5 });
    expect(r).toMatchObject({ score: 5, error: null, resolvedType: 'up' });
    expect(r.states).toEqual(['started', 'resolving', 'preCheck', 'checking', 'postCheck', 'ended']);
    expect(r.logs).toEqual(['team-1/up: Success Team1 : UP probe to 10.1.1.5']);
  });

  test('a hung check is aborted at its deadline, whether or not it listens', async () => {
    for (const type of [new Hangs(), new Ignores()]) {
      const r = await runCheck(type, { host: 'x' }, { timeoutMs: 30, registry: new ServiceRegistry() });
      expect(r.score).toBe(0);
      expect(r.error).toBe('timed out after 0.03 s during doCheck');
      expect(r.timedOut).toBe(true);
    }
  });
});
