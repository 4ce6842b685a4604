/**
 * The built-in checks, registered under their short names by `registerBuiltinChecks`
 * (createEngine does this for the default registry).
 */
import type { ServiceRegistry } from '../registry.js';
import type { ServiceTypeClass } from '../service-type.js';

/** Every built-in ServiceType class. */
export const builtinCheckTypes: readonly ServiceTypeClass[] = [];

const done = new WeakSet<ServiceRegistry>();

/** Registers the built-in checks in `registry` once (origin "built-in"). */
export function registerBuiltinChecks(registry: ServiceRegistry): void {
  if (done.has(registry)) return;
  done.add(registry);
  const previous = registry.currentOrigin;
  registry.currentOrigin = 'built-in';
  try {
    for (const cls of builtinCheckTypes) registry.register(cls);
  } finally {
    registry.currentOrigin = previous;
  }
}
