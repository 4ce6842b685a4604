/**
 * `--distributed` (or `scan.distributed: true`) for `scan`, `run` and `serve`: the
 * engine hands checks to scanners through the queue on DATABASE_URL
 * (src/scale-out/remote-scanner-host.ts) instead of running them itself.
 */
import type { Logger } from 'pino';
import type { LoadedCompetition } from '../config/index.js';
import type { EngineOptions } from '../engine.js';
import { ScorekeeperError } from '../errors.js';
import type { ServiceRegistry } from '../registry.js';
import type { RemoteScannerHost } from '../scale-out/remote-scanner-host.js';

/**
 * Checks in flight at once on the coordinator in distributed mode: the scanners'
 * concurrency bounds the work; the coordinator only waits.
 */
export const DISTRIBUTED_IN_FLIGHT = 100_000;

/** What a command gets in distributed mode. */
export interface DistributedMode {
  readonly host: RemoteScannerHost;
  /** Warns (on `out` and in the log) about zones with no live scanner; run before each round. */
  beforeRound(out: NodeJS.WritableStream): Promise<void>;
  close(): Promise<void>;
}

/** The PostgreSQL URL distributed mode needs, or a clear error. */
export function distributedDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new ScorekeeperError(
      'SK_DISTRIBUTED',
      'distributed mode needs PostgreSQL: set DATABASE_URL (scanners on other machines cannot reach the embedded database)',
    );
  }
  return url;
}

/** Whether `--distributed` (`flag`) or the file's `scan.distributed` asks for distributed mode. */
export function wantsDistributed(flag: boolean | undefined, loaded: LoadedCompetition): boolean {
  return flag === true || loaded.settings.distributed;
}

/** Starts distributed mode when `flag` or the file's `scan.distributed` asks for it. */
export async function startDistributedMode(flag: boolean | undefined, loaded: LoadedCompetition, registry: ServiceRegistry, logger: Logger): Promise<DistributedMode | undefined> {
  if (!wantsDistributed(flag, loaded)) return undefined;
  // pg-boss and the scale-out modules load only here: a local scan does not pay for them.
  const { RemoteScannerHost } = await import('../scale-out/remote-scanner-host.js');
  const host = await RemoteScannerHost.start(distributedDatabaseUrl(), {
    registry,
    logger,
    waitMs: loaded.settings.intervalMs,
    logsWanted: () => logger.isLevelEnabled('info'),
  });
  return {
    host,
    async beforeRound(out) {
      for (const warning of await host.prepareRound(loaded.competition)) {
        logger.warn({ warning }, warning);
        out.write(`warning: ${warning}\n`);
      }
    },
    close: () => host.close(),
  };
}

/**
 * The engine options of `scan`, `run` and `serve`: the file's concurrency and threads, or,
 * in distributed mode, the scanners as where hooks run (each scanner's own concurrency is
 * the real limit, so the coordinator lets DISTRIBUTED_IN_FLIGHT checks wait at once).
 */
export function commandEngineOptions(
  base: Required<Pick<EngineOptions, 'registry' | 'store' | 'logger'>>,
  settings: LoadedCompetition['settings'],
  distributed: DistributedMode | undefined,
): EngineOptions {
  return {
    ...base,
    concurrency: distributed ? DISTRIBUTED_IN_FLIGHT : settings.concurrency,
    checkThreads: settings.threads,
    ...(distributed ? { hookHost: distributed.host } : {}),
  };
}
