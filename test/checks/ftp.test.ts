// No Node FTP server library here: the real protocol is tested against vsftpd in
// test/daemons/ftp.test.ts. These cases need no server: refusal, silence, abort, params.
import { describe, expect, test } from 'vitest';
import { FtpCheck } from '../../src/checks/ftp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { loginCheckBasics } from '../support/login-check-basics.js';

const creds = { username: 'alice', password: 'ftp-Secret' };

describe('ftp check without a server', () => {
  const silentPort = loginCheckBasics({
    check: () => new FtpCheck(),
    creds,
    refusedLog: (port) => `team-1/ftp: FAIL Team1 : FTP login as alice to 127.0.0.1:${port}`,
    silentError: (port) => new RegExp(`^no FTP greeting from 127\\.0\\.0\\.1:${port} within 0\\.\\d+ s$`),
  });

  test('params are validated', async () => {
    const r = await runCheck(new FtpCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { expect: { contains: 'x' } } });
    expect(r.error).toContain('params.expect: expect needs a file');
    const r2 = await runCheck(new FtpCheck(), { host: '127.0.0.1', port: silentPort(), ...creds, params: { upload: 'yes' } });
    expect(r2.error).toContain('params.upload:');
  });

  test('credentials are required', async () => {
    const r = await runCheck(new FtpCheck(), { host: '127.0.0.1', port: silentPort() });
    expect(r.error).toContain('no credentials for Team1');
  });
});
