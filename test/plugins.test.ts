import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PluginLoadError } from '../src/errors.js';
import { CHECKS_MODULE_NAMES, loadPlugins } from '../src/plugins.js';
import { BUILTIN_CHECKS_MODULE, defaultRegistry, ServiceRegistry } from '../src/registry.js';
import { registerBuiltinChecks } from '../src/checks/index.js';
import { ServiceType } from '../src/service-type.js';

const base = join(import.meta.dirname, 'fixtures/plugins');

// Fixtures are TypeScript (vitest transforms them); published plugins ship checks.js.
CHECKS_MODULE_NAMES.push('checks.ts');

describe('plugin discovery (installed apps)', () => {
  test('a plugin folder with a checks module registers its types, with the plugin as origin', async () => {
    const loaded = await loadPlugins(['./good-plugin', './empty-plugin'], defaultRegistry, base);
    expect(loaded[0]).toMatchObject({ plugin: './good-plugin', types: ['plugin-echo'] });
    expect(loaded[0]!.file).toMatch(/good-plugin\/checks\.ts$/);
    expect(loaded[1]).toEqual({ plugin: './empty-plugin', file: null, types: [] });
    expect(defaultRegistry.list().find((t) => t.shortName === 'plugin-echo')).toEqual({
      shortName: 'plugin-echo',
      kind: 'standard',
      description: 'echo check from a test plugin',
      origin: './good-plugin',
    });
  });

  test('the registry remembers the module each type came from, for check threads to import', async () => {
    class UserCheck extends ServiceType {
      readonly shortName = 'user-made';
    }
    const registry = new ServiceRegistry();
    registerBuiltinChecks(registry);
    await loadPlugins(['./good-plugin'], registry, base);
    registry.register(UserCheck);
    expect(registry.moduleOf('http')).toBe(BUILTIN_CHECKS_MODULE);
    expect(registry.moduleOf('plugin-echo')).toBe(join(base, 'good-plugin/checks.ts'));
    expect(registry.moduleOf('user-made')).toBeUndefined();
    expect(registry.modules()).toEqual([BUILTIN_CHECKS_MODULE, join(base, 'good-plugin/checks.ts')]);
  });

  test('a checks module that throws at import: error names the plugin, the file and the cause', async () => {
    const err = await loadPlugins(['./broken-plugin'], defaultRegistry, base).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PluginLoadError);
    expect((err as Error).message).toBe(
      `plugin './broken-plugin' failed to load ${join(base, 'broken-plugin/checks.ts')}: cannot find configuration file /etc/bad.conf`,
    );
    expect((err as PluginLoadError).code).toBe('SK_PLUGIN_LOAD');
  });

  test('a duplicate short name from a plugin is rejected, naming both sides', async () => {
    await loadPlugins(['./good-plugin'], defaultRegistry, base);
    const err = await loadPlugins(['./dup-plugin'], defaultRegistry, base).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      `plugin './dup-plugin' failed to load ${join(base, 'dup-plugin/checks.ts')}: service type short name 'plugin-echo' is already registered by PluginEcho (./good-plugin); DupEcho (./dup-plugin) cannot use it`,
    );
  });

  test('a missing plugin path or package is a clear error', async () => {
    await expect(loadPlugins(['./nope'], defaultRegistry, base)).rejects.toThrow(`plugin './nope' failed to load ${join(base, 'nope')}: no such file or directory`);
    await expect(loadPlugins(['scorekeeper-plugin-that-does-not-exist'], defaultRegistry, base)).rejects.toThrow(
      "plugin 'scorekeeper-plugin-that-does-not-exist' failed to load scorekeeper-plugin-that-does-not-exist/package.json: package not found from",
    );
  });
});

describe('decorated plugins and registries of their own', () => {
  test('@register writes to the registry being loaded, and a second registry gets the same types', async () => {
    const { ServiceRegistry } = await import('../src/registry.js');
    const first = new ServiceRegistry();
    const second = new ServiceRegistry();
    const a = await loadPlugins(['./good-plugin'], first, base);
    const b = await loadPlugins(['./good-plugin'], second, base);
    expect(a[0]!.types).toEqual(['plugin-echo']);
    expect(b[0]!.types).toEqual(['plugin-echo']);
    expect(first.get('plugin-echo')).not.toBe(second.get('plugin-echo'));
    expect(second.list().find((t) => t.shortName === 'plugin-echo')!.origin).toBe('./good-plugin');
  });
});
