// The ldap check against a real OpenLDAP slapd on 127.0.0.1: slapd.conf with the
// core/cosine/inetorgperson/nis schemas, back_mdb, seeded with slapadd.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LdapCheck } from '../../src/checks/ldap.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { LDAP_PASSWORD, startSlapd, type Slapd } from './support/slapd.js';

const PASSWORD = LDAP_PASSWORD;
const bindDn = 'uid={username},ou=people,dc=team1,dc=local';

describe('ldap check against slapd', () => {
  let slapd: Slapd;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    slapd = await startSlapd();
    port = slapd.port;
  });
  afterAll(async () => slapd?.stop());

  test('bind through the DN template, search with expected count and attributes', async () => {
    const before = activeResources();
    const r = await runCheck(
      new LdapCheck(),
      {
        host, port, username: 'alice', password: PASSWORD, points: 2,
        params: { bindDn, base: 'ou=people,dc=team1,dc=local', filter: '(objectClass=inetOrgPerson)', expect: { count: 2, attributes: { mail: 'bob@team1.local', cn: 'Bob Builder' } } },
      },
      { timeoutMs: 10_000 },
    );
    expect(r).toMatchObject({ score: 2, error: null });
    expect(r.logs).toEqual([`team-1/ldap: Success Team1 : LDAP bind as uid=alice,ou=people,dc=team1,dc=local and search of 'ou=people,dc=team1,dc=local' to ${host}:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('wrong password', async () => {
    const r = await runCheck(new LdapCheck(), { host, port, username: 'alice', password: 'Wrong-pass-9', params: { bindDn } }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; bind as uid=alice,ou=people,dc=team1,dc=local rejected (invalid credentials)`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('a user@domain bind name is not a DN to slapd', async () => {
    const r = await runCheck(new LdapCheck(), { host, port, username: 'alice', password: PASSWORD, params: { domain: 'team1.local' } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`connected to ${host}:${port}; bind as alice@team1.local failed: invalid DN syntax (34)`);
  });

  test('wrong content: entry count and attribute values', async () => {
    const base = { host, port, username: 'alice', password: PASSWORD };
    const r = await runCheck(new LdapCheck(), { ...base, params: { bindDn, base: 'dc=team1,dc=local', filter: '(uid=carol)', expect: { minCount: 1 } } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`bound to ${host}:${port} as uid=alice,ou=people,dc=team1,dc=local; search of 'dc=team1,dc=local' for (uid=carol): 0 entries, expected at least 1`);
    const r2 = await runCheck(new LdapCheck(), { ...base, params: { bindDn, base: 'dc=team1,dc=local', filter: '(uid=alice)', expect: { attributes: { mail: 'root@evil.example' } } } }, { timeoutMs: 10_000 });
    expect(r2.error).toBe(`bound to ${host}:${port} as uid=alice,ou=people,dc=team1,dc=local; search of 'dc=team1,dc=local' for (uid=alice): none of 1 entry has mail=root@evil.example`);
    const r3 = await runCheck(new LdapCheck(), { ...base, params: { bindDn, base: 'ou=nowhere,dc=team1,dc=local' } }, { timeoutMs: 10_000 });
    expect(r3.error).toBe(`bound to ${host}:${port} as uid=alice,ou=people,dc=team1,dc=local; search of 'ou=nowhere,dc=team1,dc=local' failed: no such object (32)`);
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new LdapCheck(), { host, port: closed, username: 'alice', password: PASSWORD, params: { bindDn } });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});
