import { describe, expect, test } from 'vitest';
import type { CheckDb } from '../../src/types.js';
import { lendDatabase } from '../../src/team-database/db-gate.js';
import { DatabaseAccessError } from '../../src/errors.js';
import { ServiceType } from '../../src/service-type.js';
import type { CheckRecord, Service } from '../../src/types.js';
import { competitionOf, registryOf, runScan } from '../support/recording-types.js';

describe('only startCheck and endCheck reach the database', () => {
  test('a handle kept from startCheck and used in doCheck fails that check clearly', async () => {
    class Sneaky extends ServiceType {
      readonly shortName = 'sneaky';
      kept: CheckDb | undefined;
      override startCheck(check: CheckRecord, db: CheckDb) {
        this.kept = db;
        return super.startCheck(check, db);
      }
      override doCheck(service: Service) {
        this.kept!.getTeamInfo(service.team.number, 'x');
        this.reportScore(service, 1);
      }
    }
    const { byService } = await runScan(registryOf(Sneaky), competitionOf(1, [{ name: 's', type: 'sneaky' }]));
    expect(byService.get('team-1/s')).toMatchObject({ score: 0 });
    expect(byService.get('team-1/s')!.error).toBe(
      'doCheck() of team-1/s tried to use the database; only startCheck and endCheck, run by the team actor, may use it',
    );
  });

  test('this.db on a ServiceType is a clear error, not undefined', async () => {
    class AsksForDb extends ServiceType {
      readonly shortName = 'asks';
      override doCheck(service: Service) {
        void this.db;
        this.reportScore(service, 1);
      }
    }
    const { byService } = await runScan(registryOf(AsksForDb), competitionOf(1, [{ name: 'a', type: 'asks' }]));
    expect(byService.get('team-1/a')!.error).toBe('asks: a ServiceType has no database; use the db parameter of startCheck/endCheck');
  });

  test('the objects a check receives carry no database handle', async () => {
    let seen: Service | undefined;
    class Looks extends ServiceType {
      readonly shortName = 'looks';
      override doCheck(service: Service) {
        seen = service;
        this.reportScore(service, 1);
      }
    }
    await runScan(registryOf(Looks), competitionOf(1, [{ name: 'l', type: 'looks' }]));
    const json = JSON.stringify(seen);
    expect(Object.keys(seen!).sort()).toEqual(['data', 'host', 'id', 'name', 'params', 'points', 'port', 'team', 'timeoutMs', 'type'].sort());
    expect(json).not.toMatch(/db|store|pg/i);
  });

  test('a lent handle works inside its call (across awaits) and stops working when the hook returns', async () => {
    const target = { markInProgress: () => undefined, markFinished: () => undefined, getTeamInfo: () => 'v', latestExternalReport: async () => undefined };
    const gate = lendDatabase<CheckDb>(target, 'x', 'startCheck');
    expect(gate.run(() => gate.handle.getTeamInfo(1, 'k'))).toBe('v');
    await expect(
      gate.run(async () => {
        await new Promise((r) => setTimeout(r, 1));
        return gate.handle.getTeamInfo(1, 'k');
      }),
    ).resolves.toBe('v');
    expect(() => gate.handle.getTeamInfo(1, 'k')).toThrow('the database handle lent to x.startCheck() was used by code outside that call');
    gate.revoke();
    expect(() => gate.run(() => gate.handle.getTeamInfo(1, 'k'))).toThrow(DatabaseAccessError);
    expect(() => gate.run(() => gate.handle.getTeamInfo(1, 'k'))).toThrow('the database handle lent to x.startCheck() was used after that hook returned');
  });

  test("a check using another check's handle while that startCheck still runs fails clearly; the owner's own use works", async () => {
    let releaseSlowStart!: () => void;
    const slowStartMayEnd = new Promise<void>((r) => (releaseSlowStart = r));
    const seenByOwner: Array<string | undefined> = [];
    class Borrower extends ServiceType {
      readonly shortName = 'borrower';
      open: CheckDb | undefined;
      override async startCheck(check: CheckRecord, db: CheckDb) {
        await super.startCheck(check, db);
        if (check.service.team.number !== 2) return;
        this.open = db;
        await slowStartMayEnd;
        // Its own handle, after an await: still inside its call.
        seenByOwner.push(db.getTeamInfo(2, 'missing'));
      }
      override async doCheck(service: Service) {
        if (service.team.number === 2) return this.reportScore(service, 1);
        await new Promise((r) => setTimeout(r, 5));
        try {
          this.open!.getTeamInfo(service.team.number, 'x');
          this.reportScore(service, 1);
        } finally {
          releaseSlowStart();
        }
      }
    }
    const { byService } = await runScan(registryOf(Borrower), competitionOf(2, [{ name: 'b', type: 'borrower' }]));
    expect(byService.get('team-1/b')!.error).toBe(
      'the database handle lent to borrower.startCheck() was used by code outside that call (a check actor, or another hook); only startCheck and endCheck, run by the team actor, may use it',
    );
    expect(byService.get('team-2/b')).toMatchObject({ score: 1, error: null });
    expect(seenByOwner).toEqual([undefined]);
  });
});

describe('an override that forgets super is repaired, never corrupting state', () => {
  test('startCheck/endCheck without super: the team actor marks the check and warns', async () => {
    class Forgetful extends ServiceType {
      readonly shortName = 'forgetful';
      override startCheck() {}
      override endCheck() {}
      override doCheck(service: Service) {
        this.reportScore(service, 1);
      }
    }
    const { byService, store } = await runScan(registryOf(Forgetful), competitionOf(1, [{ name: 'f', type: 'forgetful' }]));
    const result = byService.get('team-1/f')!;
    expect(result).toMatchObject({ score: 1, status: 'finished' });
    expect(result.warnings).toEqual([
      "startCheck of 'forgetful' did not call super.startCheck(); the check was marked in progress for it",
      "endCheck of 'forgetful' did not call super.endCheck(); the check was marked finished for it",
    ]);
    expect([...store.checks.values()].map((c) => c.record.status)).toEqual(['finished']);
  });
});
