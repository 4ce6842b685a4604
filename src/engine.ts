/**
 * `createEngine`: the library entry point. An engine holds a registry, a store, a
 * scan-wide concurrency limit and a logger; `engine.scan(competition)` runs one round as
 * a tree of actors and returns a handle with rxjs streams and a summary promise.
 *
 *   engine
 *    └ scan actor            machines/scanMachine.ts
 *       ├ team actor × N     machines/teamMachine.ts   (the only actors with a db)
 *       │  └ service check   machines/serviceCheckMachine.ts
 *       └ team actor `mass`  (owner of the mass checks)
 *          └ mass check      machines/massCheckMachine.ts
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { Observable, Subject, filter, map, share } from 'rxjs';
import { createActor, toPromise, type ActorRefFrom, type InspectionEvent, type Observer } from 'xstate';
import { CHECK_TRANSITIONS, serviceCheckLogic } from '../machines/checkActorLogic.js';
import { scanMachine } from '../machines/scanMachine.js';
import { teamMachine } from '../machines/teamMachine.js';
import { registerBuiltinChecks } from './checks/index.js';
import { ScorekeeperError } from './errors.js';
import type { ExternalReport } from './db/external.js';
import type { TeamInfoChange } from './db/team-info.js';
import type { EngineEvent } from './events.js';
import { autoConcurrency } from './scheduling/concurrency-budget.js';
import { chartOfMachine, chartOfTable, type ActorChart } from './inspection/actor-charts.js';
import { Limiter } from './scheduling/limiter.js';
import { LoopLagMeter } from './scheduling/loop-lag.js';
import { loopStalls } from './scheduling/loop-stalls.js';
import { silentLogger } from './logger.js';
import { loadPlugins, type LoadedPlugin } from './plugins.js';
import type { CheckHookHost } from './lifecycle/check-worker.js';
import { CheckThreads } from './threads/check-threads.js';
import { defaultRegistry, type ServiceRegistry } from './registry.js';
import { MemoryStore } from './store/memory-store.js';
import type { Store } from './store/store.js';
import type { CheckResult, Competition, ScanSummary } from './types.js';

/** Options of `createEngine`. */
export interface EngineOptions {
  /** Where results go. Default: an in-memory store. */
  readonly store?: Store;
  /** Plugin modules (npm names or paths) whose checks modules are imported. */
  readonly plugins?: readonly string[];
  /** Folder that relative plugin paths are resolved from. Default: cwd. */
  readonly pluginBaseDir?: string;
  /** Registry of check types. Default: the default registry, with the built-in checks. */
  readonly registry?: ServiceRegistry;
  /** pino logger for check log lines. Default: silent. */
  readonly logger?: Logger;
  /** XState inspection observer attached to every scan's actor system. */
  readonly inspect?: Observer<InspectionEvent> | ((event: InspectionEvent) => void);
  /**
   * Checks running at once across a scan. Default `auto`: as many as the host can hold
   * open (src/scheduling/concurrency-budget.ts), so dead services never queue live ones.
   */
  readonly concurrency?: number | 'auto';
  /** Extra time postCheck gets after a deadline. Default: min(1 s, timeout). */
  readonly postCheckGraceMs?: number;
  /** Random source for Team Info Pool picks. Default Math.random. */
  readonly random?: () => number;
  /**
   * Threads that run checks' hooks from resolveMulti to postCheck, so probes use more
   * than one core. Types registered from a module (built-in checks, plugins) run there;
   * types registered by user code run in the engine's thread. Default 0: none. The
   * object form also sets how long a check may overrun its deadline before its thread
   * counts as stuck and is replaced (default 5,000 ms).
   */
  readonly checkThreads?: number | { readonly count: number; readonly stuckAfterMs?: number };
  /**
   * Where checks' hooks run instead of check threads: e.g. remote scanners
   * (src/scale-out, `RemoteScannerHost`). The caller starts and closes it.
   */
  readonly hookHost?: CheckHookHost;
}

/** Options of one `engine.scan`. */
export interface ScanOptions {
  /** Stops the scan when aborted (as `ScanHandle.stop()`). */
  readonly signal?: AbortSignal;
  /**
   * How long the round may take, ms (a run loop's interval). A check that failed while
   * the scanner was overloaded runs again only if a second run ends within it
   * (src/scheduling/overload.ts). Default: twice the round's longest check timeout.
   */
  readonly roundMs?: number;
}

/** A running scan. */
export interface ScanHandle {
  /** The root scan actor (inspect it, or read its snapshot). */
  readonly actor: ActorRefFrom<typeof scanMachine>;
  /** Every engine event of this scan; completes when the scan ends. */
  readonly events$: Observable<EngineEvent>;
  /** Each check result as it arrives; completes when the scan ends. */
  readonly results$: Observable<CheckResult>;
  /** Resolves with the summary; rejects if the scan could not start. */
  readonly summary: Promise<ScanSummary>;
  /** Ends the scan now: checks not finished yet (running or queued) are stored `interrupted`, scoring nobody. */
  stop(reason?: string): void;
}

/** A scoring engine. */
export interface Engine {
  readonly registry: ServiceRegistry;
  readonly store: Store;
  readonly limiter: Limiter;
  /** Loads plugins and prepares the store; `scan` waits for it too. */
  ready(): Promise<void>;
  /** Plugins loaded so far. */
  readonly plugins: readonly LoadedPlugin[];
  /** Starts one scan (round) of `competition`. Subscribe to its streams right away. */
  scan(competition: Competition, options?: ScanOptions): ScanHandle;
  /**
   * Files the score of an external service for the running (or latest) round. The team
   * actor applies the latest report when the round's external check closes.
   */
  reportExternal(report: ExternalReport): Promise<{ round: number }>;
  /**
   * A blue team's password change: Team Specific Info `key` of `team` becomes `value`
   * from the next round on (history kept). The value is never logged.
   */
  setTeamInfo(change: TeamInfoChange): Promise<{ effectiveRound: number }>;
  /** Every scan as it starts (the inspection hub attaches to their actor systems). */
  readonly scans$: Observable<ScanHandle>;
  /** Scans started and not yet ended. */
  runningScans(): readonly ScanHandle[];
  /** Stops the check threads and closes the store. */
  close(): Promise<void>;
}

/** The scan could not start (store unreachable, unknown check type...). */
export class ScanFailedError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_SCAN_FAILED', message);
  }
}

/** The engine's concurrency: `auto` (or none) is what this host can hold open. */
function resolveConcurrency(concurrency: number | 'auto' | undefined): number {
  return concurrency === undefined || concurrency === 'auto' ? autoConcurrency() : concurrency;
}

/** Creates an engine. Nothing is loaded or opened until the first `ready()`/`scan()`. */
export function createEngine(options: EngineOptions = {}): Engine {
  const registry = options.registry ?? defaultRegistry;
  if (registry === defaultRegistry) registerBuiltinChecks(registry);
  const store = options.store ?? new MemoryStore();
  const limiter = new Limiter(resolveConcurrency(options.concurrency));
  const logger = options.logger ?? silentLogger();
  const plugins: LoadedPlugin[] = [];
  const threadOptions = typeof options.checkThreads === 'object' ? options.checkThreads : { count: options.checkThreads ?? 0 };
  const threads = threadOptions.count !== 0 && !options.hookHost
    ? new CheckThreads({ ...threadOptions, registry, logger, logsWanted: () => logger.isLevelEnabled('info') })
    : undefined;
  let readyPromise: Promise<void> | undefined;
  const scans = new Subject<ScanHandle>();
  const running = new Set<ScanHandle>();

  const ready = () =>
    (readyPromise ??= (async () => {
      plugins.push(...(await loadPlugins(options.plugins ?? [], registry, options.pluginBaseDir)));
      await threads?.start();
      const { interrupted } = await store.init();
      if (interrupted > 0) logger.warn({ interrupted }, `closed ${interrupted} checks left in progress by an earlier crash as interrupted`);
    })());

  return {
    registry,
    store,
    limiter,
    plugins,
    ready,
    scan(competition, scanOptions = {}) {
      const events = new Subject<EngineEvent>();
      const stopper = new AbortController();
      const signal = scanOptions.signal ? AbortSignal.any([scanOptions.signal, stopper.signal]) : stopper.signal;
      // Every running check listens to the scan's signal (up to `concurrency` at once).
      setMaxListeners(0, signal);
      const lag = new LoopLagMeter();
      const letGoOfStalls = loopStalls.hold();
      const actor = createActor(scanMachine, {
        input: {
          competition,
          deps: {
            store,
            registry,
            limiter,
            logger,
            notify: (e) => events.next(e),
            listening: () => events.observed,
            random: options.random ?? Math.random,
            now: Date.now,
            ready,
            signal,
            loopLag: () => lag.read(),
            ...(scanOptions.roundMs !== undefined ? { roundMs: scanOptions.roundMs } : {}),
            ...(options.hookHost ? { threads: options.hookHost } : threads ? { threads } : {}),
            ...(options.postCheckGraceMs !== undefined ? { postCheckGraceMs: options.postCheckGraceMs } : {}),
          },
        },
        ...(options.inspect ? { inspect: options.inspect } : {}),
      });
      const events$ = events.asObservable().pipe(share());
      const summary = toPromise(actor).then(
        (output) => {
          if ('error' in output) {
            events.complete();
            throw new ScanFailedError(`scan of '${competition.name}' could not start: ${output.error}`);
          }
          events.next({ type: 'scan.ended', summary: output.summary });
          events.complete();
          return output.summary;
        },
        (err: unknown) => {
          events.complete();
          throw err;
        },
      );
      const handle: ScanHandle = {
        actor,
        events$,
        results$: events$.pipe(
          filter((e): e is Extract<EngineEvent, { type: 'check.result' }> => e.type === 'check.result'),
          map((e) => e.result),
        ),
        summary,
        stop: (reason = 'scan stopped') => stopper.abort(new ScorekeeperError('SK_SCAN_STOPPED', reason)),
      };
      running.add(handle);
      const forget = () => {
        running.delete(handle);
        lag.stop();
        letGoOfStalls();
      };
      summary.then(forget, forget);
      scans.next(handle);
      actor.start();
      return handle;
    },
    async reportExternal(report) {
      await ready();
      return store.recordExternal(report);
    },
    async setTeamInfo(change) {
      await ready();
      const result = await store.setTeamInfo(change);
      logger.info({ competition: change.competition, team: change.team, key: change.key, effectiveRound: result.effectiveRound }, `team ${change.team} changed Team Specific Info '${change.key}'`);
      return result;
    },
    scans$: scans.asObservable(),
    runningScans: () => [...running],
    close: async () => {
      await threads?.close();
      await store.close();
    },
  };
}

/**
 * The statecharts of the engine's actors (scan, team, check), derived from their
 * definitions: the scan and team machines, the check actor's transition table. The
 * inspector draws them (src/inspection/actor-charts.ts).
 */
export function engineCharts(): readonly ActorChart[] {
  return [chartOfMachine('scan', scanMachine), chartOfMachine('team', teamMachine), chartOfTable('check', serviceCheckLogic.id, CHECK_TRANSITIONS)];
}
