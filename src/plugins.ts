/**
 * Plugin discovery, the analogue of IScorE's installed apps: each configured plugin (an
 * npm package name or a path) may provide a conventional checks module; importing it
 * registers its ServiceTypes. A failure names the plugin, the file and the cause.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PluginLoadError } from './errors.js';
import { captureRegistrations, type ServiceRegistry } from './registry.js';
import type { ServiceTypeClass } from './service-type.js';
import { isTypeScriptModule, registerTypeScriptLoader } from './typescript-plugins.js';

/** Classes each checks module registered when it was first imported, by file. */
const classesByFile = new Map<string, ServiceTypeClass[]>();

/** File names tried, in order, inside a plugin folder: compiled JavaScript first, then TypeScript. */
export const CHECKS_MODULE_NAMES = ['checks.js', 'checks.mjs', 'dist/checks.js', 'checks.ts', 'checks.mts'];

/** What was loaded from one plugin. */
export interface LoadedPlugin {
  readonly plugin: string;
  /** The checks module imported, or null when the plugin has none. */
  readonly file: string | null;
  /** Short names it registered. */
  readonly types: readonly string[];
}

/**
 * Finds a plugin's checks module: a file path is the module itself; a folder holds
 * `checks.js`; a package exports `<name>/checks` (or has checks.js at its root).
 */
export function findChecksModule(plugin: string, baseDir: string): string | null {
  if (plugin.startsWith('.') || isAbsolute(plugin)) {
    const path = resolve(baseDir, plugin);
    if (!existsSync(path)) throw new PluginLoadError(plugin, path, new Error('no such file or directory'));
    if (statSync(path).isFile()) return path;
    for (const name of CHECKS_MODULE_NAMES) if (existsSync(join(path, name))) return join(path, name);
    return null;
  }
  const require = createRequire(join(baseDir, 'noop.js'));
  try {
    return require.resolve(`${plugin}/checks`);
  } catch {
    /* no ./checks export: look for the package root */
  }
  let pkgJson: string;
  try {
    pkgJson = require.resolve(`${plugin}/package.json`);
  } catch (err) {
    throw new PluginLoadError(plugin, `${plugin}/package.json`, new Error(`package not found from ${baseDir}`, { cause: err }));
  }
  const root = resolve(pkgJson, '..');
  for (const name of CHECKS_MODULE_NAMES) if (existsSync(join(root, name))) return join(root, name);
  return null;
}

/** Imports every plugin's checks module into `registry`, in order. */
export async function loadPlugins(plugins: readonly string[], registry: ServiceRegistry, baseDir = process.cwd()): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const plugin of plugins) {
    const file = findChecksModule(plugin, baseDir);
    if (!file) {
      loaded.push({ plugin, file: null, types: [] });
      continue;
    }
    const before = new Set(registry.list().map((t) => t.shortName));
    await registry.withOrigin(plugin, async () => {
      try {
        const known = classesByFile.get(file);
        if (known) {
          // Imported before (for another registry): its decorators will not run again.
          for (const cls of known) registry.register(cls);
        }
        // TypeScript is loaded through tsx (typescript-plugins.ts), registered on first need.
        if (!known && isTypeScriptModule(file)) await registerTypeScriptLoader();
        const classes = await captureRegistrations(registry, async () => {
          const mod = (await import(pathToFileURL(file).href)) as { register?: unknown };
          // A module may also export `register(registry)` instead of using the decorator.
          if (typeof mod.register === 'function') await (mod.register as (r: ServiceRegistry) => unknown)(registry);
        });
        if (!known) classesByFile.set(file, classes);
      } catch (err) {
        throw err instanceof PluginLoadError ? err : new PluginLoadError(plugin, file, err);
      }
    }, file);
    loaded.push({ plugin, file, types: registry.list().map((t) => t.shortName).filter((n) => !before.has(n)) });
  }
  return loaded;
}
