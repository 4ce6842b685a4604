import { describe, expect, test } from 'vitest';
import { ServiceType } from '../src/service-type.js';
import type { Service } from '../src/types.js';
import { competitionOf, registryOf, runScan } from './support/recording-types.js';

class Login extends ServiceType {
  readonly shortName: string = 'login';
  override doCheck(service: Service) {
    const { username, password } = this.getCredentials(service);
    this.reportScore(service, 1, password.length > 0 ? null : 'empty');
    this.log(service, `login as ${username}`, true);
  }
}

describe('credentials are filled in by the team actor', () => {
  test('explicit, Team Specific Info and pool sources', async () => {
    const seen: Record<string, string> = {};
    class Spy extends Login {
      override readonly shortName = 'spy';
      override doCheck(service: Service) {
        const c = this.getCredentials(service);
        seen[service.id] = `${c.username}:${c.password}`;
        this.reportScore(service, 1);
      }
    }
    const competition = competitionOf(
      2,
      [
        { name: 'e', type: 'spy', credentials: { from: 'explicit', username: 'root', password: 'toor' } },
        { name: 't', type: 'spy', credentials: { from: 'teamInfo', username: 'admin', passwordKey: 'web_pw' } },
        { name: 'k', type: 'spy', credentials: { from: 'teamInfo', usernameKey: 'ssh_user', passwordKey: 'ssh_pw' } },
        { name: 'p', type: 'spy', credentials: { from: 'pool', pool: 'users' } },
      ],
      {
        teamInfo: { 1: { web_pw: 'w1', ssh_user: 'alice', ssh_pw: 's1' }, 2: { web_pw: 'w2', ssh_user: 'bob', ssh_pw: 's2' } },
        pools: { users: { 1: [{ username: 'u1a', password: 'p1a' }, { username: 'u1b', password: 'p1b' }], 2: [{ username: 'u2', password: 'p2' }] } },
      },
    );
    await runScan(registryOf(Spy), competition, { random: () => 0.99 });
    expect(seen).toEqual({
      'team-1/e': 'root:toor',
      'team-2/e': 'root:toor',
      'team-1/t': 'admin:w1',
      'team-2/t': 'admin:w2',
      'team-1/k': 'alice:s1',
      'team-2/k': 'bob:s2',
      'team-1/p': 'u1b:p1b',
      'team-2/p': 'u2:p2',
    });
  });

  test('missing Team Specific Info or an empty pool fails that check with a clear message, nothing else', async () => {
    const competition = competitionOf(
      2,
      [
        { name: 't', type: 'login', credentials: { from: 'teamInfo', username: 'admin', passwordKey: 'web_pw' } },
        { name: 'p', type: 'login', credentials: { from: 'pool', pool: 'users' } },
        { name: 'q', type: 'login', credentials: { from: 'pool', pool: 'nope' } },
      ],
      { teamInfo: { 1: { web_pw: 'w1' } }, pools: { users: { 1: [{ username: 'u', password: 'p' }], 2: [] } } },
    );
    const { byService, store } = await runScan(registryOf(Login), competition);
    expect(byService.get('team-1/t')).toMatchObject({ score: 1, error: null });
    expect(byService.get('team-2/t')).toMatchObject({ score: 0, error: "Team2 has no Team Specific Info 'web_pw'" });
    expect(byService.get('team-1/p')).toMatchObject({ score: 1 });
    expect(byService.get('team-2/p')).toMatchObject({ score: 0, error: "Team Info Pool 'users' is empty for Team2" });
    expect(byService.get('team-1/q')!.error).toBe("Team Info Pool 'nope' does not exist");
    expect(store.writes).toHaveLength(6);
  });

  test('getCredentials throws a clear, catchable CredentialsError when none are configured', async () => {
    class Careful extends ServiceType {
      readonly shortName = 'careful';
      override doCheck(service: Service) {
        try {
          this.getCredentials(service);
          this.reportScore(service, 1);
        } catch (err) {
          this.reportScore(service, 0, `${(err as { code: string }).code}: ${(err as Error).message}`);
        }
      }
    }
    const { byService } = await runScan(registryOf(Careful), competitionOf(1, [{ name: 'c', type: 'careful' }]));
    expect(byService.get('team-1/c')!.error).toBe('SK_CREDENTIALS: team-1/c: no credentials for Team1 (no credentials configured for this service)');
  });
});
