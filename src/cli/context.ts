/**
 * What most commands need: the store (DATABASE_URL, else the embedded database in the
 * data folder), the registry with plugins loaded, and the competition file.
 */
import { resolve, dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { registerBuiltinChecks } from '../checks/index.js';
import { loadCompetitionFile, readPluginList, type LoadedCompetition } from '../config/index.js';
import { createLogger } from '../logger.js';
import { loadPlugins } from '../plugins.js';
import { ServiceRegistry } from '../registry.js';
import { openStore } from '../store/embedded.js';
import type { PostgresStore } from '../store/postgres-store.js';

/** Default data folder of the embedded database, relative to the working directory. */
export const DEFAULT_DATA_DIR = '.scorekeeper';

/** Options shared by commands that touch the store. */
export const STORE_OPTIONS = {
  data: { type: 'string' },
} as const;

/** Opens the store: DATABASE_URL if set, else the embedded database in `dataDir`. */
export async function openCliStore(dataDir: string | undefined): Promise<PostgresStore> {
  const url = process.env.DATABASE_URL;
  return openStore(url ? { databaseUrl: url, dataDir: '' } : { dataDir: resolve(dataDir ?? DEFAULT_DATA_DIR) });
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
  return createLogger({ level, destination: logFile ? pino.destination({ dest: logFile, mkdir: true, sync: false }) : 2 });
}
