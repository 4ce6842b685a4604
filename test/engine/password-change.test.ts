import { describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { ServiceType } from '../../src/service-type.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { Service } from '../../src/types.js';
import { competitionOf, registryOf } from '../support/recording-types.js';

describe("a blue team's password change", () => {
  test('applies from the next round, for that team only; earlier rounds keep the old value', async () => {
    const seen: string[] = [];
    class Login extends ServiceType {
      readonly shortName = 'login';
      override doCheck(service: Service) {
        seen.push(`${service.team.number}:${this.getCredentials(service).password}`);
        this.reportScore(service, 1);
      }
    }
    const store = new MemoryStore();
    const engine = createEngine({ registry: registryOf(Login), store });
    const competition = competitionOf(2, [{ name: 'ssh', type: 'login', credentials: { from: 'teamInfo', username: 'root', passwordKey: 'ssh_pw' } }], {
      teamInfo: { 1: { ssh_pw: 'old-1' }, 2: { ssh_pw: 'old-2' } },
    });
    await engine.scan(competition).summary;
    expect(await engine.setTeamInfo({ competition: competition.name, team: 1, key: 'ssh_pw', value: 'new-1' })).toEqual({ effectiveRound: 2 });
    await engine.scan(competition).summary;
    expect(seen.sort()).toEqual(['1:new-1', '1:old-1', '2:old-2', '2:old-2']);
    expect(await store.teamInfo(competition.name, 1)).toEqual({});
    expect(await store.teamInfo(competition.name, 2)).toEqual({ 1: { ssh_pw: 'new-1' } });
  });
});
