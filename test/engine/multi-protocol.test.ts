import { describe, expect, test } from 'vitest';
import { competitionOf, recordingType, registryOf, runScan, type HookCall } from '../support/recording-types.js';

describe('multi-protocol resolution', () => {
  test('"self" keeps the type', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(recordingType('db', journal, { kind: 'multi', resolveTo: 'self' }));
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'd', type: 'db' }]));
    expect(byService.get('team-1/d')).toMatchObject({ resolvedType: 'db', score: 1 });
    expect(journal.filter((c) => c.hook === 'doCheck').map((c) => c.type)).toEqual(['db']);
  });

  test('an unknown name fails that check with a message naming it, and nothing else', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(recordingType('db', journal, { kind: 'multi', resolveTo: 'mongo' }), recordingType('web', journal));
    const { byService, summary } = await runScan(registry, competitionOf(2, [{ name: 'd', type: 'db' }, { name: 'w', type: 'web' }]));
    expect(byService.get('team-1/d')).toMatchObject({ score: 0, resolvedType: undefined });
    expect(byService.get('team-1/d')!.error).toBe("resolveMulti: unknown service type 'mongo' (named by resolveMulti() of 'db')");
    expect(byService.get('team-2/w')).toMatchObject({ score: 1, error: null });
    expect(summary).toMatchObject({ checks: 4, up: 2, down: 2 });
    expect(journal.some((c) => c.type === 'db' && c.hook === 'doCheck')).toBe(false);
  });

  test('a multi type naming another multi type uses it as if it were standard', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(
      recordingType('outer', journal, { kind: 'multi', resolveTo: 'inner' }),
      recordingType('inner', journal, { kind: 'multi', resolveTo: 'never-followed' }),
    );
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'x', type: 'outer' }]));
    expect(byService.get('team-1/x')).toMatchObject({ resolvedType: 'inner', score: 1, error: null });
    expect(journal.filter((c) => c.type === 'inner').map((c) => c.hook)).toEqual(['preCheck', 'doCheck', 'postCheck']);
  });

  test('resolveMulti may answer per team', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(
      recordingType('a', journal),
      recordingType('b', journal),
      class extends recordingType('pick', journal, { kind: 'multi' }) {
        override resolveMulti(service: import('../../src/types.js').Service) {
          return service.team.number % 2 ? 'a' : 'b';
        }
      },
    );
    const { byService } = await runScan(registry, competitionOf(2, [{ name: 'p', type: 'pick' }]));
    expect(byService.get('team-1/p')!.resolvedType).toBe('a');
    expect(byService.get('team-2/p')!.resolvedType).toBe('b');
  });
});
