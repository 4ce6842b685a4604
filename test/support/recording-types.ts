/**
 * Fake ServiceTypes for engine tests: they record every hook call (name, arguments) in a
 * shared journal and behave as each test tells them. No I/O, no sleeps.
 */
import type { CheckDb } from '../../src/types.js';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import type { CheckContext, CheckRecord, Competition, Service, ServiceKind } from '../../src/types.js';

/** One recorded hook call. */
export interface HookCall {
  readonly type: string;
  readonly hook: string;
  /** Service ids (or check ids for startCheck/endCheck). */
  readonly ids: readonly string[];
  readonly hadDb: boolean;
  readonly hasSignal?: boolean;
}

/** How a recording type behaves in doCheck. */
export type Behaviour =
  | { readonly do: 'score'; readonly score?: number; readonly error?: string | null }
  | { readonly do: 'throw'; readonly message: string }
  | { readonly do: 'hang' }
  | { readonly do: 'hangIgnoringSignal' }
  | { readonly do: 'nothing' }
  | { readonly do: 'custom'; readonly fn: (type: ServiceType, service: Service, ctx: CheckContext) => void | Promise<void> };

/** Options of a recording type. */
export interface RecordingOptions {
  readonly kind?: ServiceKind;
  readonly resolveTo?: string;
  readonly behaviour?: Behaviour;
}

/** Makes a recording ServiceType class writing into `journal`. */
export function recordingType(shortName: string, journal: HookCall[], options: RecordingOptions = {}) {
  const behaviour: Behaviour = options.behaviour ?? { do: 'score' };
  const ids = (x: Service | readonly Service[]) => (Array.isArray(x) ? (x as readonly Service[]).map((s) => s.id) : [(x as Service).id]);
  const act = async (type: ServiceType, service: Service, ctx: CheckContext) => {
    switch (behaviour.do) {
      case 'score':
        type.reportScore(service, behaviour.score ?? service.points, behaviour.error ?? null);
        return;
      case 'throw':
        throw new Error(behaviour.message);
      case 'hang':
        await new Promise<void>((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        return;
      case 'hangIgnoringSignal':
        await new Promise<void>(() => undefined);
        return;
      case 'nothing':
        return;
      case 'custom':
        await behaviour.fn(type, service, ctx);
    }
  };
  return class extends ServiceType {
    readonly shortName = shortName;
    override readonly kind = options.kind ?? 'standard';
    override readonly description = `recording type ${shortName}`;
    override startCheck(check: CheckRecord, db: CheckDb) {
      journal.push({ type: shortName, hook: 'startCheck', ids: [check.id], hadDb: !!db });
      return super.startCheck(check, db);
    }
    override resolveMulti(service: Service) {
      journal.push({ type: shortName, hook: 'resolveMulti', ids: [service.id], hadDb: false });
      return options.resolveTo ?? 'self';
    }
    override preCheck(service: Service | readonly Service[]) {
      journal.push({ type: shortName, hook: 'preCheck', ids: ids(service), hadDb: false });
    }
    override async doCheck(service: Service, ctx: CheckContext) {
      journal.push({ type: shortName, hook: 'doCheck', ids: [service.id], hadDb: false, hasSignal: ctx.signal instanceof AbortSignal });
      await act(this, service, ctx);
    }
    override async doMassCheck(services: readonly Service[], ctx: CheckContext) {
      journal.push({ type: shortName, hook: 'doMassCheck', ids: services.map((s) => s.id), hadDb: false, hasSignal: ctx.signal instanceof AbortSignal });
      for (const s of services) await act(this, s, ctx);
    }
    override postCheck(service: Service | readonly Service[]) {
      journal.push({ type: shortName, hook: 'postCheck', ids: ids(service), hadDb: false });
    }
    override endCheck(check: CheckRecord, db: CheckDb) {
      journal.push({ type: shortName, hook: 'endCheck', ids: [check.id], hadDb: !!db });
      return super.endCheck(check, db);
    }
  };
}

/** A competition of `teams` teams over the given services (host `10.{team}.1.N`). */
export function competitionOf(teams: number, services: ReadonlyArray<{ name: string; type: string } & Partial<Competition['services'][number]>>, extra: Partial<Competition> = {}): Competition {
  return {
    name: 'test-cup',
    teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1, name: `Team${i + 1}` })),
    services: services.map((s, i) => ({ host: `10.{team}.1.${i + 10}`, ...s })),
    ...extra,
  };
}

/** A fresh registry holding the given classes. */
export function registryOf(...classes: Array<new () => ServiceType>): ServiceRegistry {
  const registry = new ServiceRegistry();
  for (const cls of classes) registry.register(cls);
  return registry;
}

/** Runs one scan on a MemoryStore and collects its results. */
export async function runScan(
  registry: ServiceRegistry,
  competition: Competition,
  options: Omit<import('../../src/engine.js').EngineOptions, 'registry'> = {},
) {
  const { createEngine } = await import('../../src/engine.js');
  const { MemoryStore } = await import('../../src/store/memory-store.js');
  const store = (options.store as InstanceType<typeof MemoryStore> | undefined) ?? new MemoryStore();
  const engine = createEngine({ ...options, registry, store });
  const handle = engine.scan(competition);
  const results: import('../../src/types.js').CheckResult[] = [];
  const events: import('../../src/events.js').EngineEvent[] = [];
  handle.events$.subscribe((e) => events.push(e));
  handle.results$.subscribe((r) => results.push(r));
  const summary = await handle.summary;
  const byService = new Map(results.map((r) => [`team-${r.team}/${r.service}`, r]));
  return { summary, results, events, store, byService, engine };
}
