// The ftp check against a real vsftpd on 127.0.0.1 with its own config and a local user.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FtpCheck } from '../../src/checks/ftp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import type { TestUser } from './support/users.js';
import { FTP_WELCOME, startVsftpd, type Vsftpd } from './support/vsftpd.js';

const CONTENT = FTP_WELCOME;

describe('ftp check against vsftpd', () => {
  let vsftpd: Vsftpd;
  let user: TestUser;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    vsftpd = await startVsftpd();
    ({ user, port } = vsftpd);
  });
  afterAll(async () => vsftpd?.stop());

  test('login, download with content and sha256 match, upload and delete', async () => {
    const before = activeResources();
    const sha256 = createHash('sha256').update(CONTENT).digest('hex');
    const r = await runCheck(
      new FtpCheck(),
      { host, port, username: user.name, password: user.password, points: 4, params: { file: 'welcome.txt', expect: { contains: 'team FTP', sha256 }, upload: true } },
      { timeoutMs: 10_000 },
    );
    expect(r).toMatchObject({ score: 4, error: null });
    expect(r.logs).toEqual([`team-1/ftp: Success Team1 : FTP login as sktest_ftp and download of 'welcome.txt' and upload to ${host}:${port}`]);
    expect(readdirSync(user.home).filter((f) => f.startsWith('.scorekeeper-'))).toEqual([]); // the upload was deleted
    await expectNoLeakedResources(before);
  });

  test('wrong password', async () => {
    const r = await runCheck(new FtpCheck(), { host, port, username: user.name, password: 'Wrong-pass-9' }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; login as sktest_ftp rejected (530 Login incorrect.)`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('wrong content', async () => {
    const r = await runCheck(new FtpCheck(), { host, port, username: user.name, password: user.password, params: { file: 'welcome.txt', expect: { contains: 'defaced' } } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as sktest_ftp; 'welcome.txt': 'defaced' not found in ${CONTENT.length} bytes`);
  });

  test('a missing file', async () => {
    const r = await runCheck(new FtpCheck(), { host, port, username: user.name, password: user.password, params: { file: 'missing.txt' } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as sktest_ftp; download of 'missing.txt' failed: 550 Failed to open file.`);
  });

  test('an upload into a directory the user cannot write', async () => {
    const r = await runCheck(new FtpCheck(), { host, port, username: user.name, password: user.password, params: { upload: true, uploadDir: '/' } }, { timeoutMs: 10_000 });
    expect(r.error).toMatch(new RegExp(`^logged in to ${host}:${port} as sktest_ftp; upload of '/\\.scorekeeper-[0-9a-f]{16}\\.txt' failed: 553 Could not create file\\.$`));
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new FtpCheck(), { host, port: closed, username: user.name, password: user.password });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});
