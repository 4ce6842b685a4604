/**
 * What most commands need: the store (DATABASE_URL, else the embedded database in the
 * data folder), the registry with plugins loaded, and the competition file.
 */
import { dirname, join, resolve } from 'node:path';
import { pino, type Logger } from 'pino';
import { registerBuiltinChecks } from '../checks/index.js';
import { loadCompetitionFile, readPluginList, type LoadedCompetition } from '../config/index.js';
import { createLogger } from '../logger.js';
import { flushBeforeExit } from './exit-when-done.js';
import { loadPlugins } from '../plugins.js';
import { ServiceRegistry } from '../registry.js';
import { openStore } from '../store/embedded.js';
import type { PostgresStore } from '../store/postgres-store.js';
import { createResilientStore } from '../recovery/resilient-store.js';

/** Default data folder of the embedded database, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.scorekeeper';

/** Options shared by commands that touch the store. */
export const STORE_OPTIONS = {
  data: { type: 'string' },
} as const;

/** Name of the recovery file in the data folder (writes the database did not take). */
export const RECOVERY_FILE = 'recovery.jsonl';

/** How long the CLI's store retries a database that does not answer. */
export const CLI_DB_RETRY_MS = 30_000;

/** Options of {@link openCliStore}. */
export interface CliStoreOptions {
  /** Retry transient database failures and keep what cannot be written in the recovery file (default true). */
  readonly resilient?: boolean;
  /** Where outages are logged (default: JSON lines on stderr). */
  readonly logger?: Logger;
}

/**
 * Opens the store: DATABASE_URL if set, else the embedded database in `dataDir`;
 * wrapped in the resilient store (recovery file `<dataDir>/recovery.jsonl`) unless
 * `resilient: false`.
 */
export async function openCliStore(dataDir: string | undefined, options: CliStoreOptions = {}): Promise<PostgresStore> {
  const url = process.env.DATABASE_URL;
  const dir = resolve(dataDir ?? DEFAULT_DATA_DIR);
  const store = await openStore(url ? { databaseUrl: url, dataDir: '' } : { dataDir: dir });
  if (options.resilient === false) return store;
  return createResilientStore(store, { retryForMs: CLI_DB_RETRY_MS, recoveryFile: join(dir, RECOVERY_FILE), logger: options.logger ?? cliLogger(undefined) });
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

/** The CLI's logger: JSON lines to stderr, or appended to a file. */
export function cliLogger(logFile: string | undefined, level = 'info'): Logger {
  const logger = createLogger({ level, destination: logFile ? pino.destination({ dest: logFile, mkdir: true, sync: false }) : 2 });
  // Its lines are written asynchronously: the CLI flushes them before it exits.
  flushBeforeExit(() => new Promise((resolve) => logger.flush(() => resolve())));
  return logger;
}
