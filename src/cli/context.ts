/**
 * What most commands need: the store (DATABASE_URL, else the embedded database in the
 * data folder), the registry with plugins loaded, and the competition file.
 */
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { registerBuiltinChecks } from '../checks/index.js';
import { loadCompetitionFile, readPluginList, type LoadedCompetition } from '../config/index.js';
import { cliLogger, type CliLoggerOptions } from './cli-logger.js';
import { loadPlugins } from '../plugins.js';
import { ServiceRegistry } from '../registry.js';
import { openStore } from '../store/embedded.js';
import type { PostgresStore } from '../store/postgres-store.js';
import { createResilientStore } from '../recovery/resilient-store.js';
import { distributedDatabaseUrl, wantsDistributed } from './distributed-mode.js';

/** Default data folder of the embedded database, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.scorekeeper';

export { STORE_OPTIONS } from './store-options.js';

/** Name of the recovery file in the data folder (writes the database did not take). */
export const RECOVERY_FILE = 'recovery.jsonl';

/** How long the CLI's store retries a database that does not answer. */
export const CLI_DB_RETRY_MS = 30_000;

/** Options of {@link openCliStore}. */
export interface CliStoreOptions {
  /** Retry transient database failures and keep what cannot be written in the recovery file (default true). */
  readonly resilient?: boolean;
  /** Where outages are logged (default: the CLI's logger on stderr, cli-logger.ts). */
  readonly logger?: Logger;
  /**
   * Set by the commands that run an engine (`run`, `serve`, `scan`, `demo`): they need
   * the embedded folder for themselves, and are named in others' "in use" messages.
   * Every other command shares it: through the holder's socket while one runs.
   */
  readonly engineCommand?: string;
}

/**
 * Opens the store: DATABASE_URL if set, else the embedded database in `dataDir` (as its
 * holder, or through the socket of the process holding it: see store/embedded.ts);
 * wrapped in the resilient store (recovery file `<dataDir>/recovery.jsonl`) unless
 * `resilient: false`.
 */
export async function openCliStore(dataDir: string | undefined, options: CliStoreOptions = {}): Promise<PostgresStore> {
  const url = process.env.DATABASE_URL;
  const dir = resolve(dataDir ?? DEFAULT_DATA_DIR);
  const store = await openStore(
    url
      ? { databaseUrl: url, dataDir: '' }
      : { dataDir: dir, ...(options.engineCommand ? { access: 'own' as const, label: `scorekeeper ${options.engineCommand}` } : { access: 'share' as const }) },
  );
  if (options.resilient === false) return store;
  return createResilientStore(store, { retryForMs: CLI_DB_RETRY_MS, recoveryFile: join(dir, RECOVERY_FILE), logger: options.logger ?? cliLogger() });
}

/** A registry with the built-in checks and the competition file's plugins. */
export async function registryFor(configPath: string | undefined): Promise<ServiceRegistry> {
  const registry = new ServiceRegistry();
  registerBuiltinChecks(registry);
  if (configPath) {
    const plugins = await readPluginList(configPath);
    await loadPlugins(plugins, registry, dirname(resolve(configPath)));
  }
  return registry;
}

/** Loads plugins, then the competition file validated against them. */
export async function loadConfig(configPath: string): Promise<{ loaded: LoadedCompetition; registry: ServiceRegistry }> {
  const registry = await registryFor(configPath);
  const loaded = await loadCompetitionFile(configPath, { registry });
  return { loaded, registry };
}

/** What a command that runs rounds works with. */
export interface EngineCommandContext {
  readonly loaded: LoadedCompetition;
  readonly registry: ServiceRegistry;
  readonly logger: Logger;
  readonly store: PostgresStore;
}

/**
 * The competition file, the logger and the store of `run`/`serve`; when `opening` fails,
 * `onFailure` runs first (to release what the command took before, e.g. its port).
 */
export async function openEngineCommand(
  command: string,
  options: { configPath: string; dataDir: string | undefined; log: CliLoggerOptions; distributed?: boolean | undefined; onFailure?: () => void },
): Promise<EngineCommandContext> {
  try {
    const { loaded, registry } = await loadConfig(options.configPath);
    // Before the store opens: without DATABASE_URL it would be the embedded database,
    // which scanners on other machines cannot reach.
    if (wantsDistributed(options.distributed, loaded)) distributedDatabaseUrl();
    const logger = cliLogger(options.log);
    const store = await openCliStore(options.dataDir, { logger, engineCommand: command });
    return { loaded, registry, logger, store };
  } catch (err) {
    options.onFailure?.();
    throw err;
  }
}
