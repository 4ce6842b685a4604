// No Node IMAP server library here: the real protocol is tested against Dovecot in
// test/daemons/imap.test.ts. These cases need no server: refusal, silence, abort, params.
import { describe, expect, test } from 'vitest';
import { ImapCheck } from '../../src/checks/imap.js';
import { runCheck } from '../../src/testing/run-check.js';
import { loginCheckBasics } from '../support/login-check-basics.js';

const creds = { username: 'alice', password: 'imap-Secret' };

describe('imap check without a server', () => {
  const silentPort = loginCheckBasics({
    check: () => new ImapCheck(),
    creds,
    refusedLog: (port) => `team-1/imap: FAIL Team1 : IMAP login as alice to 127.0.0.1:${port}`,
    silentError: (port) => new RegExp(`^no IMAP greeting and login reply from 127\\.0\\.0\\.1:${port} within 0\\.\\d+ s$`),
  });

  test('params are validated', async () => {
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { minMessages: 3 } });
    expect(r.error).toContain('params.minMessages: minMessages needs a mailbox');
    const r2 = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { mailbox: '' } });
    expect(r2.error).toContain('params.mailbox:');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new ImapCheck(), { host: '127.0.0.1', port: silentPort() });
    expect(r.error).toContain('no credentials for Team1');
  });
});
