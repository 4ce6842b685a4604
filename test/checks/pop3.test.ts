// No Node POP3 server library here: the real protocol is tested against Dovecot in
// test/daemons/pop3.test.ts. These cases need no server: refusal, silence, abort, params.
import { describe, expect, test } from 'vitest';
import { Pop3Check } from '../../src/checks/pop3.js';
import { runCheck } from '../../src/testing/run-check.js';
import { loginCheckBasics } from '../support/login-check-basics.js';

const creds = { username: 'alice', password: 'pop3-Secret' };

describe('pop3 check without a server', () => {
  const silentPort = loginCheckBasics({
    check: () => new Pop3Check(),
    creds,
    refusedLog: (port) => `team-1/pop3: FAIL Team1 : POP3 login as alice to 127.0.0.1:${port}`,
    silentError: (port) => new RegExp(`^no POP3 greeting from 127\\.0\\.0\\.1:${port} within 0\\.\\d+ s$`),
  });

  test('params are validated', async () => {
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { minMessages: -1 } });
    expect(r.error).toContain('params.minMessages:');
    const r2 = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { uidl: 5 } });
    expect(r2.error).toContain('params.uidl:');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new Pop3Check(), { host: '127.0.0.1', port: silentPort() });
    expect(r.error).toContain('no credentials for Team1');
  });
});
