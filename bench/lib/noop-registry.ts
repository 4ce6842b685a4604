/** Check types for engine-cost scenarios: no I/O, so only the engine is measured. */
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import type { CheckContext, Service } from '../../src/types.js';

/** Reports full points at once. */
export class NoopCheck extends ServiceType {
  readonly shortName = 'noop';
  override readonly description = 'benchmark: reports full points, no I/O';
  override doCheck(service: Service): void {
    this.reportScore(service, service.points);
  }
}

/** Never answers: waits for its signal (the deadline). */
export class NeverCheck extends ServiceType {
  readonly shortName = 'never';
  override readonly description = 'benchmark: hangs until its deadline';
  override doCheck(_service: Service, ctx: CheckContext): Promise<void> {
    return new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('no answer')), { once: true }));
  }
}

/** A registry with the benchmark types and the built-in checks. */
export async function benchRegistry(): Promise<ServiceRegistry> {
  const { registerBuiltinChecks } = await import('../../src/checks/index.js');
  const registry = new ServiceRegistry();
  registerBuiltinChecks(registry);
  registry.register(NoopCheck);
  registry.register(NeverCheck);
  return registry;
}
