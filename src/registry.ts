/**
 * `ServiceRegistry`: short name → ServiceType instance, and `register`, usable as a
 * class decorator (`@register`) or a plain function (`register(MyCheck)`).
 */
import { DuplicateServiceTypeError, InvalidServiceTypeError, UnknownServiceTypeError } from './errors.js';
import { ServiceType, type ServiceTypeClass } from './service-type.js';
import type { ServiceKind } from './types.js';

const KINDS: readonly ServiceKind[] = ['standard', 'multi', 'mass'];
const SHORT_NAME = /^[a-z][a-z0-9_-]{0,62}$/;

/** One row of `registry.list()`. */
export interface ServiceTypeInfo {
  readonly shortName: string;
  readonly kind: ServiceKind;
  readonly description: string;
  /** Where it came from: "built-in", a plugin name, or "user". */
  readonly origin: string;
}

/** Holds the registered ServiceTypes; one instance per type serves every check. */
export class ServiceRegistry {
  private readonly types = new Map<string, { type: ServiceType; cls: ServiceTypeClass; origin: string; module: string | undefined }>();
  /** Origin recorded for registrations while a plugin is being imported. */
  currentOrigin = 'user';
  /**
   * The module that registrations come from while one is being imported (a plugin's
   * checks module, or BUILTIN_CHECKS_MODULE): a check thread imports it to get the same
   * types. Registrations made elsewhere (in user code) have none and run in the engine's
   * own thread.
   */
  currentModule: string | undefined = undefined;

  /**
   * Registers a ServiceType class. Works as a decorator (`@registry.register`) and as a
   * function. Rejects a duplicate short name, a missing one, or an unknown kind.
   */
  readonly register = <C extends ServiceTypeClass>(cls: C, _context?: ClassDecoratorContext): C => {
    if (typeof cls !== 'function' || !(cls.prototype instanceof ServiceType)) {
      throw new InvalidServiceTypeError(`register() needs a subclass of ServiceType, got ${describe(cls)}`);
    }
    let type: ServiceType;
    try {
      type = new cls();
    } catch (err) {
      throw new InvalidServiceTypeError(`${cls.name}: constructor threw: ${(err as Error).message}`);
    }
    const { shortName, kind } = type;
    if (typeof shortName !== 'string' || !SHORT_NAME.test(shortName)) {
      throw new InvalidServiceTypeError(
        `${cls.name}: shortName must be lower-case letters, digits, '-' or '_' (got ${JSON.stringify(shortName)})`,
      );
    }
    if (!KINDS.includes(kind)) {
      throw new InvalidServiceTypeError(`${cls.name}: kind must be one of ${KINDS.join(', ')} (got ${JSON.stringify(kind)})`);
    }
    const existing = this.types.get(shortName);
    if (existing) {
      if (existing.cls === cls) return cls; // the same module imported twice
      throw new DuplicateServiceTypeError(shortName, `${existing.cls.name} (${existing.origin})`, `${cls.name} (${this.currentOrigin})`);
    }
    this.types.set(shortName, { type, cls, origin: this.currentOrigin, module: this.currentModule });
    return cls;
  };

  /** The instance registered under `shortName`, or UnknownServiceTypeError. */
  get(shortName: string, context?: string): ServiceType {
    const entry = this.types.get(shortName);
    if (!entry) throw new UnknownServiceTypeError(shortName, context);
    return entry.type;
  }

  /** Whether a type is registered under `shortName`. */
  has(shortName: string): boolean {
    return this.types.has(shortName);
  }

  /** Every registered type with kind, description and origin, sorted by short name. */
  list(): ServiceTypeInfo[] {
    return [...this.types.values()]
      .map(({ type, origin }) => ({ shortName: type.shortName, kind: type.kind, description: type.description, origin }))
      .sort((a, b) => a.shortName.localeCompare(b.shortName));
  }

  /**
   * The module a check thread imports to get type `shortName` (see `currentModule`), or
   * undefined when the type was registered by user code.
   */
  moduleOf(shortName: string): string | undefined {
    return this.types.get(shortName)?.module;
  }

  /** Every module that registered a type here, in registration order, once each. */
  modules(): string[] {
    return [...new Set([...this.types.values()].flatMap((e) => (e.module === undefined ? [] : [e.module])))];
  }

  /** A new registry holding the same types (tests add fakes without touching this one). */
  clone(): ServiceRegistry {
    const copy = new ServiceRegistry();
    for (const [name, entry] of this.types) copy.types.set(name, { ...entry });
    return copy;
  }

  /** Runs `fn` with registrations attributed to `origin` (used by the plugin loader). */
  async withOrigin<T>(origin: string, fn: () => Promise<T>, module?: string): Promise<T> {
    const previous = this.currentOrigin;
    const previousModule = this.currentModule;
    this.currentOrigin = origin;
    this.currentModule = module;
    try {
      return await fn();
    } finally {
      this.currentOrigin = previous;
      this.currentModule = previousModule;
    }
  }
}

/** `moduleOf()` of the built-in checks: a check thread registers them itself. */
export const BUILTIN_CHECKS_MODULE = 'scorekeeper:built-in';

/** The registry that `register` and the built-in checks use, and engines use by default. */
export const defaultRegistry = new ServiceRegistry();

/** While a plugin's checks module is imported: where `register` writes, and what it saw. */
let loading: { registry: ServiceRegistry; classes: ServiceTypeClass[] } | undefined;

/**
 * Registers a ServiceType; a decorator or a plain function. It writes to the registry
 * `loadPlugins` is loading into while a checks module is imported, else to the default
 * registry.
 */
export const register = <C extends ServiceTypeClass>(cls: C, context?: ClassDecoratorContext): C => {
  const target = loading?.registry ?? defaultRegistry;
  target.register(cls, context);
  loading?.classes.push(cls);
  return cls;
};

/**
 * Runs `load` (an import) with `register` pointed at `registry`; returns the classes that
 * registered, so the loader can register them again in another registry (a module runs
 * its decorators only on its first import).
 */
export async function captureRegistrations(registry: ServiceRegistry, load: () => Promise<void>): Promise<ServiceTypeClass[]> {
  const previous = loading;
  loading = { registry, classes: [] };
  const current = loading;
  try {
    await load();
    return current.classes;
  } finally {
    loading = previous;
  }
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `class or function '${value.name}' that does not extend ServiceType`;
  return typeof value;
}
