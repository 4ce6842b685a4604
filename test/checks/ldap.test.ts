// No Node LDAP server library here: the real protocol is tested against slapd in
// test/daemons/ldap.test.ts. These cases need no server: refusal, silence, abort, params,
// and the bind-name mutation done in getCredentials.
import { describe, expect, test } from 'vitest';
import { LdapCheck } from '../../src/checks/ldap.js';
import { makeService, runCheck } from '../../src/testing/run-check.js';
import { loginCheckBasics } from '../support/login-check-basics.js';

const creds = { username: 'alice', password: 'ldap-Secret' };

describe('ldap check without a server', () => {
  const silentPort = loginCheckBasics({
    check: () => new LdapCheck(),
    creds,
    refusedLog: (port) => `team-1/ldap: FAIL Team1 : LDAP bind as alice to 127.0.0.1:${port}`,
    silentError: (port) => new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; bind as alice not answered within 0\\.\\d+ s$`),
  });

  test('params are validated', async () => {
    const r = await runCheck(new LdapCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { expect: { count: 1 } } });
    expect(r.error).toContain('params.expect: expect needs a search base');
    const r2 = await runCheck(new LdapCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { bindDn: 'uid=x,dc=y' } });
    expect(r2.error).toContain('params.bindDn: must contain {username}');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new LdapCheck(), { host: '127.0.0.1', port: silentPort() });
    expect(r.error).toContain('no credentials for Team1');
  });

  test('the bind name: username@domain, a DN template, or as given', () => {
    const check = new LdapCheck();
    const svc = (username: string, params: Record<string, unknown>) => makeService(check, { host: 'h', username, password: 'p', params });
    expect(check.getCredentials(svc('alice', { domain: 'team1.local' }))).toEqual({ username: 'alice@team1.local', password: 'p' });
    expect(check.getCredentials(svc('alice@corp.example', { domain: 'team1.local' })).username).toBe('alice@corp.example');
    expect(check.getCredentials(svc('alice', {})).username).toBe('alice');
    expect(check.getCredentials(svc('Smith, J', { bindDn: 'cn={username},dc=team1,dc=local' })).username).toBe('cn=Smith\\, J,dc=team1,dc=local');
  });
});
