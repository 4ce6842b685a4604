import { describe, expect, test } from 'vitest';
import type { Service } from '../../src/types.js';
import { competitionOf, recordingType, registryOf, runScan, type HookCall } from '../support/recording-types.js';

describe('every started check gets exactly one result', () => {
  test('a hung check is aborted through its signal and scored 0 "timed out after N s"', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(recordingType('slow', journal, { behaviour: { do: 'hang' } }), recordingType('deaf', journal, { behaviour: { do: 'hangIgnoringSignal' } }), recordingType('ok', journal));
    const { byService, summary } = await runScan(
      registry,
      competitionOf(2, [
        { name: 's', type: 'slow', timeoutMs: 50 },
        { name: 'd', type: 'deaf', timeoutMs: 60 },
        { name: 'o', type: 'ok' },
      ]),
    );
    expect(byService.get('team-1/s')).toMatchObject({ score: 0, error: 'timed out after 0.05 s during doCheck' });
    expect(byService.get('team-2/d')).toMatchObject({ score: 0, error: 'timed out after 0.06 s during doCheck' });
    expect(byService.get('team-2/o')).toMatchObject({ score: 1, error: null });
    expect(summary).toMatchObject({ checks: 6, up: 2, down: 4, timedOut: 4 });
    // postCheck still ran for the timed-out checks
    expect(journal.filter((c) => c.hook === 'postCheck')).toHaveLength(6);
  });

  test('a check that throws is scored 0 with its message', async () => {
    const registry = registryOf(recordingType('boom', [], { behaviour: { do: 'throw', message: 'connection reset by 10.1.1.10:80' } }));
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'b', type: 'boom' }]));
    expect(byService.get('team-1/b')).toMatchObject({ score: 0, error: 'connection reset by 10.1.1.10:80' });
  });

  test('a check that never calls reportScore is scored 0 with a message saying so', async () => {
    const registry = registryOf(recordingType('mute', [], { behaviour: { do: 'nothing' } }));
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'm', type: 'mute' }]));
    expect(byService.get('team-1/m')).toMatchObject({ score: 0, error: 'the check finished without calling reportScore()' });
  });

  test('the base doCheck is not implemented', async () => {
    const registry = registryOf(class extends (await import('../../src/service-type.js')).ServiceType { readonly shortName = 'bare'; });
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'x', type: 'bare' }]));
    expect(byService.get('team-1/x')).toMatchObject({ score: 0, error: "service type 'bare' does not implement doCheck()" });
  });

  test.each([
    ['a non-number score', (t: import('../../src/service-type.js').ServiceType, s: Service) => t.reportScore(s, 'ten' as unknown as number), "reportScore for team-1/x: score must be a finite number, got string 'ten'"],
    ['a score above the points', (t: import('../../src/service-type.js').ServiceType, s: Service) => t.reportScore(s, 6), 'reportScore for team-1/x: score 6 is outside 0..5'],
    ['a negative score', (t: import('../../src/service-type.js').ServiceType, s: Service) => t.reportScore(s, -1), 'reportScore for team-1/x: score -1 is outside 0..5'],
    ['NaN', (t: import('../../src/service-type.js').ServiceType, s: Service) => t.reportScore(s, Number.NaN), 'reportScore for team-1/x: score must be a finite number, got NaN'],
    [
      'reportScore called twice',
      (t: import('../../src/service-type.js').ServiceType, s: Service) => {
        t.reportScore(s, 5);
        try {
          t.reportScore(s, 3);
        } catch {
          /* a check that swallows the error still fails */
        }
      },
      'reportScore called twice for team-1/x (first 5, then 3)',
    ],
  ])('%s fails that check with a specific error, and no other', async (_name, fn, message) => {
    const registry = registryOf(recordingType('bad', [], { behaviour: { do: 'custom', fn } }), recordingType('good', []));
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'x', type: 'bad', points: 5 }, { name: 'y', type: 'good' }]));
    expect(byService.get('team-1/x')).toMatchObject({ score: 0, error: message });
    expect(byService.get('team-1/y')).toMatchObject({ score: 1, error: null });
  });

  test('a hook that throws synchronously (preCheck) fails only its check, postCheck still runs', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(
      class extends recordingType('pre', journal) {
        override preCheck(): void {
          throw new Error('no route to host');
        }
      },
      recordingType('good', journal),
    );
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'p', type: 'pre' }, { name: 'g', type: 'good' }]));
    expect(byService.get('team-1/p')).toMatchObject({ score: 0, error: 'preCheck: no route to host' });
    expect(byService.get('team-1/g')).toMatchObject({ score: 1 });
    expect(journal.filter((c) => c.type === 'pre').map((c) => c.hook)).toEqual(['startCheck', 'resolveMulti', 'postCheck', 'endCheck']);
  });

  test('a postCheck that throws keeps the score and records a warning', async () => {
    const registry = registryOf(
      class extends recordingType('post', []) {
        override postCheck(): void {
          throw new Error('cleanup failed');
        }
      },
    );
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'p', type: 'post' }]));
    expect(byService.get('team-1/p')).toMatchObject({ score: 1, error: null, warnings: ['postCheck: cleanup failed'] });
  });

  test('stopping a scan ends every running check with one result', async () => {
    const { createEngine } = await import('../../src/engine.js');
    const registry = registryOf(recordingType('slow', [], { behaviour: { do: 'hang' } }));
    const engine = createEngine({ registry });
    const handle = engine.scan(competitionOf(3, [{ name: 's', type: 'slow', timeoutMs: 60_000 }]));
    const results: unknown[] = [];
    handle.results$.subscribe((r) => results.push(r));
    handle.events$.subscribe((e) => {
      if (e.type === 'check.state' && e.state === 'checking' && e.serviceIds[0] === 'team-3/s') handle.stop('operator stopped the round');
    });
    const summary = await handle.summary;
    // Interrupted, not down: the operator's stop costs no team a point (issue 19).
    expect(summary).toMatchObject({ checks: 3, up: 0, down: 0, interrupted: 3 });
    expect(results).toHaveLength(3);
    expect(results.map((r) => (r as { error: string }).error)).toEqual(Array(3).fill('interrupted: operator stopped the round'));
  });

  test('a scan actor stopped outright gives back every slot it held or was queued for, and aborts its checks', async () => {
    const { createEngine } = await import('../../src/engine.js');
    const registry = registryOf(recordingType('slow', [], { behaviour: { do: 'hang' } }));
    const engine = createEngine({ registry, concurrency: 5 });
    const handle = engine.scan(competitionOf(3, [1, 2, 3, 4].map((i) => ({ name: `s${i}`, type: 'slow', timeoutMs: 60_000 }))));
    handle.summary.catch(() => undefined);
    const aborted: string[] = [];
    let checking = 0;
    await new Promise<void>((resolve) => {
      handle.events$.subscribe((e) => {
        if (e.type === 'check.state' && e.state === 'checking' && ++checking === 5) resolve();
      });
    });
    expect(engine.limiter.inUse).toBe(5);
    expect(engine.limiter.waiting).toBeGreaterThan(0);
    const running = [...handle.actor.getSnapshot().context.teamActors.values()].flatMap((team) => [
      ...(team.getSnapshot() as { context: { checkActors: Map<string, { getSnapshot(): { context: { lifecycle: { signal?: AbortSignal } } } }> } }).context.checkActors.values(),
    ]);
    for (const check of running) check.getSnapshot().context.lifecycle.signal?.addEventListener('abort', () => aborted.push('x'));
    handle.actor.stop();
    await new Promise((r) => setTimeout(r, 20));
    expect(engine.limiter.inUse).toBe(0);
    expect(engine.limiter.waiting).toBe(0);
    expect(aborted).toHaveLength(5);
  });
});
