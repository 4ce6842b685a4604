/**
 * The Store contract, run against every PostgreSQL-backed store (the real server in a
 * fresh schema, and the embedded PGlite). One store per suite; each test uses its own
 * competition name so tests do not see each other's rounds.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { StoreError } from '../../src/errors.js';
import type { Competition } from '../../src/types.js';
import type { PostgresStore } from '../../src/store/postgres-store.js';
import { INTERRUPTED_ERROR } from '../../src/db/interrupt-checks.js';
import { finished, started } from './fixtures/records.js';

/** What a suite needs: a fresh store (not yet initialised) and how to dispose of it. */
export interface ContractTarget {
  readonly store: PostgresStore;
  dispose(): Promise<void>;
}

let seq = 0;
const name = (what: string) => `${what}-${++seq}`;

function competition(compName: string, extra: Partial<Competition> = {}): Competition {
  return {
    name: compName,
    teams: [{ number: 1, name: 'Red Pandas' }, { number: 2 }],
    services: [
      { name: 'web', type: 'http', host: '10.{team}.1.10', port: 80, points: 10, params: { path: '/', token: 's3cret-token' }, secretParams: ['token'] },
      { name: 'ssh', type: 'ssh', host: '10.{team}.1.20', credentials: { from: 'explicit', username: 'admin', password: 'hunter2-explicit' } },
    ],
    teamInfo: { 1: { password: 'a1' }, 2: { password: 'b1' } },
    ...extra,
  };
}

/** Registers the contract tests for the store made by `open`. */
export function storeContract(label: string, open: () => Promise<ContractTarget>): void {
  describe(`Store contract: ${label}`, () => {
    let target: ContractTarget;
    let store: PostgresStore;
    beforeAll(async () => {
      target = await open();
      store = target.store;
      expect(await store.init()).toEqual({ interrupted: 0 });
    });
    afterAll(async () => {
      await target?.dispose();
    });

    test('migrations are recorded and applying them again is a no-op', async () => {
      expect(await store.migrate()).toEqual([]);
      expect(await store.init()).toEqual({ interrupted: 0 });
      const rows = await store.db.any<{ id: number; name: string }>('SELECT id, name FROM scorekeeper_migrations ORDER BY id');
      expect(rows[0]).toEqual({ id: 1, name: 'initial' });
    });

    test('syncCompetition is idempotent and stores no secret', async () => {
      const c = competition(name('sync'));
      await store.syncCompetition(c);
      await store.syncCompetition(c);
      const teams = await store.db.any('SELECT t.number, t.name FROM teams t JOIN competitions c ON c.id = t.competition_id WHERE c.name = $1 ORDER BY 1', [c.name]);
      expect(teams).toEqual([{ number: 1, name: 'Red Pandas' }, { number: 2, name: 'Team2' }]);
      const services = await store.db.any<{ text: string }>(
        'SELECT row_to_json(s)::text AS text FROM services s JOIN competitions c ON c.id = s.competition_id WHERE c.name = $1', [c.name]);
      expect(services).toHaveLength(2);
      const all = services.map((s) => s.text).join('\n');
      expect(all).not.toContain('hunter2-explicit');
      expect(all).not.toContain('s3cret-token');
      expect(services.map((s) => (JSON.parse(s.text) as { credential_source: unknown }).credential_source)).toContainEqual({ from: 'explicit', username: 'admin' });
      const history = await store.teamInfoHistory(c.name);
      expect(history.map((h) => [h.team, h.key, h.effectiveRound])).toEqual([[1, 'password', 0], [2, 'password', 0]]);
    });

    test('rounds number 1, 2, 3 per competition, also when scans begin at once', async () => {
      const a = name('rounds-a');
      const b = name('rounds-b');
      expect((await store.beginScan(a, 1_000)).round).toBe(1);
      expect((await store.beginScan(a, 2_000)).round).toBe(2);
      expect((await store.beginScan(b, 3_000)).round).toBe(1);
      const together = await Promise.all([1, 2, 3, 4].map((i) => store.beginScan(a, 4_000 + i)));
      expect(together.map((s) => s.round).sort()).toEqual([3, 4, 5, 6]);
      expect(new Set(together.map((s) => s.id)).size).toBe(4);
      const fresh = name('rounds-new'); // a competition first seen by racing scans
      const racing = await Promise.all([1, 2, 3].map((i) => store.beginScan(fresh, 5_000 + i)));
      expect(racing.map((s) => s.round).sort()).toEqual([1, 2, 3]);
    });

    test('a batch of 2,500 checks is started and finished with exactly one row per check', async () => {
      const c = competition(name('batch'));
      await store.syncCompetition(c);
      const scan = await store.beginScan(c.name, Date.parse('2026-01-01T10:00:00Z'));
      const services = Array.from({ length: 25 }, (_, i) => `svc${i}`);
      const records = started(scan, 100, services);
      expect(records).toHaveLength(2500);
      await store.checksStarted(records);
      const inProgress = await store.results({ competition: c.name });
      expect(inProgress).toHaveLength(2500);
      expect(inProgress.every((r) => r.status === 'in_progress' && r.score === null)).toBe(true);
      await store.checksFinished(records.map((r, i) => finished(r, i % 2 === 0)));
      const done = await store.results({ competition: c.name, round: scan.round });
      expect(done).toHaveLength(2500);
      expect(done.every((r) => r.status === 'finished')).toBe(true);
      expect(done.filter((r) => r.error === null)).toHaveLength(1250);
      const counts = await store.db.one<{ rows: number; distinct: number; scored: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT (team, service))::int AS distinct,
           (SELECT count(*)::int FROM round_scores rs JOIN competitions k ON k.id = rs.competition_id WHERE k.name = $2) AS scored
         FROM checks WHERE scan_id = $1`, [scan.id, c.name]);
      expect(counts).toEqual({ rows: 2500, distinct: 2500, scored: 2500 });
      const team7 = await store.results({ competition: c.name, team: 7 });
      expect(team7).toHaveLength(25);
      expect(team7[0]).toMatchObject({ round: 1, team: 7, type: 'http', resolvedType: 'http', points: 10 });
      expect(team7[0]!.startedAt.toISOString()).toBe('2026-01-01T10:00:00.000Z');
      expect(team7[0]!.durationMs).toBe(25);
    });

    test('a check started twice fails its whole batch; a result for an unknown check changes nothing', async () => {
      const c = competition(name('dup'));
      const scan = await store.beginScan(c.name, 10_000);
      const records = started(scan, 2, ['web']);
      await store.checksStarted(records.slice(0, 1));
      await expect(store.checksStarted(records)).rejects.toThrow(StoreError);
      expect(await store.results({ competition: c.name })).toHaveLength(1);
      const stray = finished(started(scan, 3, ['web'])[2]!, true);
      await expect(store.checksFinished([finished(records[0]!, true), stray])).rejects.toThrow(/never started \(\d+:team-3\/web\)/);
      const rows = await store.results({ competition: c.name });
      expect(rows.map((r) => r.status)).toEqual(['in_progress']);
      await expect(store.checksFinished([finished(records[0]!, true), finished(records[0]!, false)])).rejects.toThrow(/twice in one batch/);
    });

    test('init() closes checks left in progress as interrupted, without scoring them', async () => {
      await store.init(); // close what earlier tests left in progress
      const c = competition(name('crash'));
      const scan = await store.beginScan(c.name, 20_000);
      const records = started(scan, 2, ['web', 'ssh']);
      await store.checksStarted(records);
      await store.checksFinished([finished(records[0]!, true)]);
      expect(await store.init()).toEqual({ interrupted: 3 });
      expect(await store.init()).toEqual({ interrupted: 0 });
      const rows = await store.results({ competition: c.name });
      expect(rows.map((r) => r.status).sort()).toEqual(['finished', 'interrupted', 'interrupted', 'interrupted']);
      expect(rows.filter((r) => r.status === 'interrupted').every((r) => r.error === INTERRUPTED_ERROR)).toBe(true);
      const board = await store.scores(c.name);
      expect(board.map((t) => [t.team, t.services.length])).toEqual([[1, 1]]);
    });

    test('endScan writes the summary on the scan', async () => {
      const c = name('end');
      const scan = await store.beginScan(c, 30_000);
      await store.endScan({
        scanId: scan.id, round: scan.round, startedAt: 30_000, finishedAt: 31_500, durationMs: 1500,
        checks: 4, up: 3, down: 1, timedOut: 1, interrupted: 0, rerun: 0, overloaded: 0, loopLag: { p50Ms: 0, p99Ms: 0, maxMs: 0 }, storeIssues: ['retried once'],
      });
      const row = await store.db.one<unknown>('SELECT duration_ms, checks, up, down, timed_out, store_issues FROM scans WHERE id = $1', [scan.id]);
      expect(row).toEqual({ duration_ms: 1500, checks: 4, up: 3, down: 1, timed_out: 1, store_issues: ['retried once'] });
      await expect(store.endScan({ scanId: '999999999', round: 1, startedAt: 0, finishedAt: 0, durationMs: 0, checks: 0, up: 0, down: 0, timedOut: 0, interrupted: 0, rerun: 0, overloaded: 0, loopLag: { p50Ms: 0, p99Ms: 0, maxMs: 0 }, storeIssues: [] }))
        .rejects.toThrow(/scan 999999999 does not exist/);
    });

    test('teamInfo gives the value in force for a round; a change applies from the next round', async () => {
      const c = competition(name('info'));
      await store.syncCompetition(c);
      const r1 = await store.beginScan(c.name, 40_000);
      expect(await store.teamInfo(c.name, r1.round)).toEqual({ 1: { password: 'a1' }, 2: { password: 'b1' } });
      expect(await store.setTeamInfo({ competition: c.name, team: 1, key: 'password', value: 'a2' })).toEqual({ effectiveRound: 2 });
      expect(await store.setTeamInfo({ competition: c.name, team: 1, key: 'password', value: 'a5', effectiveRound: 5 })).toEqual({ effectiveRound: 5 });
      await store.syncCompetition(c); // the file's unchanged round-0 value must not undo the change
      expect((await store.teamInfo(c.name, 1))[1]).toEqual({ password: 'a1' });
      expect((await store.teamInfo(c.name, 2))[1]).toEqual({ password: 'a2' });
      expect((await store.teamInfo(c.name, 4))[1]).toEqual({ password: 'a2' });
      expect((await store.teamInfo(c.name, 9))).toEqual({ 1: { password: 'a5' }, 2: { password: 'b1' } });
      const history = await store.teamInfoHistory(c.name, 1);
      expect(history.map((h) => h.effectiveRound)).toEqual([0, 2, 5]);
      expect(JSON.stringify(history)).not.toContain('a2');
      expect(await store.teamInfo(name('unknown'), 1)).toEqual({});
    });

    test('scores: totals, uptime and the SLA penalty (off by default) come from round_scores', async () => {
      const c = competition(name('scores'));
      await store.syncCompetition(c);
      // team 1 up every round; team 2: down down down up down down
      const pattern2 = [false, false, false, true, false, false];
      for (const up2 of pattern2) {
        const scan = await store.beginScan(c.name, 50_000);
        const records = started(scan, 2, ['web']);
        await store.checksStarted(records);
        await store.checksFinished([finished(records[0]!, true), finished(records[1]!, up2)]);
      }
      const plain = await store.scores(c.name);
      expect(plain.map((t) => [t.team, t.name, t.score, t.points, t.slaPenalty, t.total])).toEqual([
        [1, 'Red Pandas', 60, 60, 0, 60],
        [2, 'Team2', 10, 60, 0, 10],
      ]);
      expect(plain[1]!.uptime).toBeCloseTo(1 / 6);
      expect(plain[1]!.services[0]).toMatchObject({ service: 'web', rounds: 6, upRounds: 1, slaViolations: 0 });
      const sla = await store.scores(c.name, { sla: { after: 2, penalty: 5 } });
      expect(sla[0]).toMatchObject({ slaPenalty: 0, total: 60 });
      expect(sla[1]).toMatchObject({ slaPenalty: 10, total: 0 });
      expect(sla[1]!.services[0]!.slaViolations).toBe(2);
      const early = await store.scores(c.name, { sla: { after: 3, penalty: 5 }, throughRound: 3 });
      expect(early[1]).toMatchObject({ score: 0, points: 30, slaPenalty: 5 });
    });

    test('external reports are kept and the latest one scores the round', async () => {
      const c = competition(name('external'));
      await store.syncCompetition(c);
      await store.beginScan(c.name, 60_000);
      expect(await store.recordExternal({ competition: c.name, team: 1, service: 'web', score: 4, error: 'half the pages' })).toEqual({ round: 1 });
      await store.recordExternal({ competition: c.name, round: 1, team: 1, service: 'web', score: 10 });
      await expect(store.recordExternal({ competition: c.name, team: 2, service: 'web', score: 11 })).rejects.toThrow(/above its 10 points/);
      const reports = await store.externalReports({ competition: c.name });
      expect(reports.map((r) => [r.round, r.team, r.service, r.score, r.points, r.error])).toEqual([
        [1, 1, 'web', 4, 10, 'half the pages'],
        [1, 1, 'web', 10, 10, null],
      ]);
      const board = await store.scores(c.name);
      expect(board).toHaveLength(1);
      expect(board[0]).toMatchObject({ team: 1, score: 10, points: 10, uptime: 1 });
      const rows = await store.exportRows({ competition: c.name });
      expect(rows.map((r) => [r.source, r.round, r.team, r.service, r.score, r.up])).toEqual([
        ['external', 1, 1, 'web', 4, false],
        ['external', 1, 1, 'web', 10, true],
      ]);
    });

    test('exportRows lists checks of the rounds asked for, flat', async () => {
      const c = competition(name('export'));
      for (let i = 0; i < 3; i++) {
        const scan = await store.beginScan(c.name, Date.parse('2026-02-01T00:00:00Z') + i * 60_000);
        const records = started(scan, 1, ['web']);
        await store.checksStarted(records);
        await store.checksFinished([finished(records[0]!, i !== 1)]);
      }
      const rows = await store.exportRows({ competition: c.name, fromRound: 2, toRound: 3 });
      expect(rows.map((r) => [r.round, r.status, r.up, r.warnings])).toEqual([
        [2, 'finished', false, 'slow banner'],
        [3, 'finished', true, ''],
      ]);
      expect(rows[1]!.startedAt).toBe('2026-02-01T00:02:00.000Z');
    });
  });
}
