import { describe, expect, test } from 'vitest';
import { competitionOf, recordingType, registryOf, runScan, type HookCall } from '../support/recording-types.js';

const hooksOf = (journal: HookCall[], id: string) => journal.filter((c) => c.ids.some((x) => x.endsWith(id))).map((c) => `${c.type}.${c.hook}`);

describe('hook order and arguments', () => {
  test('standard: startCheck(db) → resolveMulti → preCheck → doCheck(signal) → postCheck → endCheck(db)', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(recordingType('std', journal));
    const { summary, byService } = await runScan(registry, competitionOf(2, [{ name: 'web', type: 'std', points: 4 }]));
    expect(summary).toMatchObject({ checks: 2, up: 2, down: 0 });
    for (const team of [1, 2]) {
      expect(hooksOf(journal, `team-${team}/web`)).toEqual(['std.startCheck', 'std.resolveMulti', 'std.preCheck', 'std.doCheck', 'std.postCheck', 'std.endCheck']);
      expect(byService.get(`team-${team}/web`)).toMatchObject({ score: 4, error: null, resolvedType: 'std', status: 'finished' });
    }
    const start = journal.find((c) => c.hook === 'startCheck')!;
    const end = journal.find((c) => c.hook === 'endCheck')!;
    expect(start).toMatchObject({ hadDb: true });
    expect(end).toMatchObject({ hadDb: true });
    expect(journal.find((c) => c.hook === 'doCheck')).toMatchObject({ hasSignal: true });
  });

  test('multi: resolveMulti of the multi type, then the resolved type does the check', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(recordingType('remote', journal, { kind: 'multi', resolveTo: 'sshx' }), recordingType('sshx', journal));
    const { byService } = await runScan(registry, competitionOf(1, [{ name: 'admin', type: 'remote' }]));
    expect(hooksOf(journal, 'team-1/admin')).toEqual(['remote.startCheck', 'remote.resolveMulti', 'sshx.preCheck', 'sshx.doCheck', 'sshx.postCheck', 'remote.endCheck']);
    expect(byService.get('team-1/admin')).toMatchObject({ type: 'remote', resolvedType: 'sshx', score: 1 });
  });

  test('mass: resolveMulti gets the first service, preCheck/doMassCheck/postCheck get every team, scores per team', async () => {
    const journal: HookCall[] = [];
    const registry = registryOf(
      recordingType('bulk', journal, {
        kind: 'mass',
        behaviour: { do: 'custom', fn: (type, s) => type.reportScore(s, s.team.number === 2 ? 0 : s.points, s.team.number === 2 ? 'no answer' : null) },
      }),
    );
    const { byService, summary } = await runScan(registry, competitionOf(3, [{ name: 'ping', type: 'bulk', points: 2 }]));
    const all = ['team-1/ping', 'team-2/ping', 'team-3/ping'];
    const seq = journal.filter((c) => !['startCheck', 'endCheck'].includes(c.hook));
    expect(seq.map((c) => [c.hook, c.ids])).toEqual([
      ['resolveMulti', ['team-1/ping']],
      ['preCheck', all],
      ['doMassCheck', all],
      ['postCheck', all],
    ]);
    expect(journal.filter((c) => c.hook === 'startCheck')).toHaveLength(3);
    expect(journal.filter((c) => c.hook === 'endCheck')).toHaveLength(3);
    expect(byService.get('team-1/ping')).toMatchObject({ score: 2, error: null });
    expect(byService.get('team-2/ping')).toMatchObject({ score: 0, error: 'no answer' });
    expect(summary).toMatchObject({ checks: 3, up: 2, down: 1 });
  });
});
