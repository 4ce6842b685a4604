/**
 * Plugin faults, side by side: plugins that cannot load are refused at startup with an
 * error naming the plugin; in one scan, checks whose hooks throw or misuse reportScore
 * each fail with their own specific error while healthy checks beside them (a built-in
 * fake and a plugin's check) are untouched.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { CHECKS_MODULE_NAMES, loadPlugins } from '../../src/plugins.js';
import { defaultRegistry } from '../../src/registry.js';
import type { ServiceType } from '../../src/service-type.js';
import type { Service } from '../../src/types.js';
import { competitionOf, recordingType, runScan, type HookCall } from '../support/recording-types.js';

const plugins = join(import.meta.dirname, '../fixtures/plugins');
// Fixtures are TypeScript (vitest transforms them); published plugins ship checks.js.
if (!CHECKS_MODULE_NAMES.includes('checks.ts')) CHECKS_MODULE_NAMES.push('checks.ts');

type Misuse = (type: ServiceType, service: Service) => void;

/** A fake type whose doCheck does `fn`. */
const misuse = (name: string, fn: Misuse) => recordingType(name, [], { behaviour: { do: 'custom', fn } });

describe('plugin faults', () => {
  test('a checks module that throws at import, or reuses a short name, stops startup with an error naming it', async () => {
    const broken = createEngine({ registry: defaultRegistry, plugins: ['./good-plugin', './broken-plugin'], pluginBaseDir: plugins });
    const scan = broken.scan(competitionOf(1, [{ name: 'echo', type: 'plugin-echo' }]));
    await expect(scan.summary).rejects.toThrow(
      `scan of 'test-cup' could not start: plugin './broken-plugin' failed to load ${join(plugins, 'broken-plugin/checks.ts')}: cannot find configuration file /etc/bad.conf`,
    );
    await broken.close();

    await expect(loadPlugins(['./dup-plugin'], defaultRegistry, plugins)).rejects.toThrow(
      `plugin './dup-plugin' failed to load ${join(plugins, 'dup-plugin/checks.ts')}: service type short name 'plugin-echo' is already registered by PluginEcho (./good-plugin); DupEcho (./dup-plugin) cannot use it`,
    );
    // The first plugin's type stayed registered and usable.
    expect(defaultRegistry.has('plugin-echo')).toBe(true);
  });

  test('one scan: every faulty hook fails its own check with a specific error; healthy checks are untouched', async () => {
    const journal: HookCall[] = [];
    // The fixture plugin registers with the @register decorator, i.e. in the default
    // registry (and only on its first import): this scan uses the default registry.
    const registry = defaultRegistry;
    if (!registry.has('plugin-echo')) await loadPlugins(['./good-plugin'], registry, plugins);
    registry.register(recordingType('healthy', journal));
    registry.register(
      class extends recordingType('sync-throw', journal) {
        override doCheck(): Promise<void> {
          throw new Error('sync failure in doCheck');
        }
      },
    );
    registry.register(
      class extends recordingType('pre-throw', journal) {
        override preCheck(): void {
          throw new Error('preCheck blew up');
        }
      },
    );
    registry.register(misuse('nan-score', (t, s) => t.reportScore(s, 'full' as unknown as number)));
    registry.register(misuse('too-high', (t, s) => t.reportScore(s, s.points + 1)));
    registry.register(misuse('negative', (t, s) => t.reportScore(s, -2)));
    registry.register(recordingType('silent', journal, { behaviour: { do: 'nothing' } }));
    registry.register(
      misuse('twice', (t, s) => {
        t.reportScore(s, 1);
        t.reportScore(s, 2);
      }),
    );
    const teams = 3;
    const competition = competitionOf(teams, [
      { name: 'ok', type: 'healthy', points: 5 },
      { name: 'echo', type: 'plugin-echo', points: 3 },
      { name: 'sync', type: 'sync-throw' },
      { name: 'pre', type: 'pre-throw' },
      { name: 'nan', type: 'nan-score', points: 5 },
      { name: 'high', type: 'too-high', points: 5 },
      { name: 'neg', type: 'negative', points: 5 },
      { name: 'none', type: 'silent' },
      { name: 'dup', type: 'twice', points: 5 },
      { name: 'ok2', type: 'healthy', points: 2 },
    ]);
    const { byService, results, summary } = await runScan(registry, competition);
    expect(results).toHaveLength(teams * 10);
    expect(summary).toMatchObject({ checks: 30, up: 9, down: 21 });
    for (let team = 1; team <= teams; team++) {
      const r = (service: string) => byService.get(`team-${team}/${service}`)!;
      // Healthy checks: full points, no error, no warning.
      expect(r('ok')).toMatchObject({ score: 5, error: null, warnings: [] });
      expect(r('echo')).toMatchObject({ score: 3, error: null, warnings: [], resolvedType: 'plugin-echo' });
      expect(r('ok2')).toMatchObject({ score: 2, error: null, warnings: [] });
      // Each fault: score 0 and its own message.
      expect(r('sync')).toMatchObject({ score: 0, error: 'sync failure in doCheck' });
      expect(r('pre')).toMatchObject({ score: 0, error: 'preCheck: preCheck blew up' });
      expect(r('nan')).toMatchObject({ score: 0, error: `reportScore for team-${team}/nan: score must be a finite number, got string 'full'` });
      expect(r('high')).toMatchObject({ score: 0, error: `reportScore for team-${team}/high: score 6 is outside 0..5` });
      expect(r('neg')).toMatchObject({ score: 0, error: `reportScore for team-${team}/neg: score -2 is outside 0..5` });
      expect(r('none')).toMatchObject({ score: 0, error: 'the check finished without calling reportScore()' });
      expect(r('dup')).toMatchObject({ score: 0, error: `reportScore called twice for team-${team}/dup (first 1, then 2)` });
    }
    // The healthy types ran their whole lifecycle once per team.
    expect(journal.filter((c) => c.type === 'healthy').map((c) => c.hook).sort()).toEqual(
      Array.from({ length: teams * 2 }, () => ['startCheck', 'resolveMulti', 'preCheck', 'doCheck', 'postCheck', 'endCheck']).flat().sort(),
    );
  });
});
