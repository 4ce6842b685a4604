// The smb check against a real Samba smbd on 127.0.0.1: smb.conf with every directory in
// a temp dir, a local user added with smbpasswd.
//
// smbd --foreground calls setsid() and exits when it cannot ("Failed to create session"),
// which it cannot as the leader startDaemon makes of it; and --no-process-group would make
// it kill its whole process group on SIGTERM. So it is spawned here without `detached`: it
// becomes the leader of its own session and group, and stopping it signals that group only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SmbCheck } from '../../src/checks/smb.js';
import { runCheck } from '../../src/testing/run-check.js';
import { canConnect, freePort, removeDir, tempDir } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { ensureTestUser, type TestUser } from './support/users.js';

const CONTENT = 'Team 1 file server: quarterly report\n';

describe('smb check against Samba smbd', () => {
  let dir: string;
  let smbd: ChildProcess;
  let output = '';
  let user: TestUser;
  let port: number;
  const host = '127.0.0.1';

  beforeAll(async () => {
    user = ensureTestUser('sktest_smb', 'Smb-pass-1');
    dir = tempDir('smbd');
    chmodSync(dir, 0o755);
    port = await freePort();
    for (const sub of ['share/docs', 'lock', 'state', 'cache', 'private', 'pid', 'log', 'ncalrpc']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'share', 'docs', 'report.txt'), CONTENT);
    writeFileSync(join(dir, 'share', 'readme.txt'), 'read me\n');
    execFileSync('chown', ['-R', user.name, join(dir, 'share')]);
    const conf = join(dir, 'smb.conf');
    writeFileSync(
      conf,
      [
        '[global]',
        'workgroup = TEAM1',
        'server role = standalone server',
        'interfaces = lo',
        'bind interfaces only = yes',
        `smb ports = ${port}`,
        ...['lock directory', 'state directory', 'cache directory', 'pid directory', 'ncalrpc dir'].map((k) => `${k} = ${join(dir, k.split(' ')[0] ?? '')}`),
        `private dir = ${join(dir, 'private')}`,
        `log file = ${join(dir, 'log', 'log.%m')}`,
        `passdb backend = tdbsam:${join(dir, 'private', 'passdb.tdb')}`,
        'disable spoolss = yes',
        'load printers = no',
        'printcap name = /dev/null',
        'usershare path =',
        '[files]',
        `path = ${join(dir, 'share')}`,
        'read only = yes',
        `valid users = ${user.name}`,
        '[locked]',
        `path = ${join(dir, 'share')}`,
        'valid users = nobody',
        '',
      ].join('\n'),
    );
    // the password goes through stdin, never argv
    execFileSync('smbpasswd', ['-c', conf, '-s', '-a', user.name], { input: `${user.password}\n${user.password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
    smbd = spawn('/usr/sbin/smbd', ['--foreground', '--debug-stdout', '-s', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    smbd.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    smbd.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!(await canConnect(port))) {
      if (smbd.exitCode !== null || Date.now() > deadline) {
        smbd.kill('SIGKILL');
        throw new Error(`smbd did not listen on ${port}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  });
  afterAll(async () => {
    if (smbd?.pid && smbd.exitCode === null && smbd.signalCode === null) {
      const gone = new Promise((r) => smbd.once('exit', r));
      process.kill(-smbd.pid, 'SIGTERM'); // smbd's own group (it called setsid), not ours
      const t = setTimeout(() => smbd.pid && process.kill(-smbd.pid, 'SIGKILL'), 3000);
      await gone;
      clearTimeout(t);
    }
    removeDir(dir);
  });

  test('a file whose content matches', async () => {
    const before = activeResources();
    const r = await runCheck(new SmbCheck(), { host, port, username: user.name, password: user.password, points: 3, params: { share: 'files', file: 'docs/report.txt', expect: { contains: 'quarterly report' } } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/smb: Success Team1 : SMB share 'files' as sktest_smb: file 'docs/report.txt' to ${host}:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('a listing that holds the expected names', async () => {
    const r = await runCheck(new SmbCheck(), { host, port, username: user.name, password: user.password, params: { share: 'files', list: ['readme.txt', 'docs'] } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 1, error: null });
    const sub = await runCheck(new SmbCheck(), { host, port, username: user.name, password: user.password, params: { share: 'files', dir: 'docs', list: ['report.txt', 'budget.xlsx'] } }, { timeoutMs: 10_000 });
    expect(sub.error).toBe(`logged in to ${host}:${port} as sktest_smb; 'budget.xlsx' not in the listing of 'docs' on share 'files' (1 entries)`);
  });

  test('wrong password', async () => {
    const r = await runCheck(new SmbCheck(), { host, port, username: user.name, password: 'Wrong-pass-9', params: { share: 'files' } }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; login as sktest_smb rejected (NT_STATUS_LOGON_FAILURE)`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('wrong content, a missing file, a missing share, a share the user may not use', async () => {
    const base = { host, port, username: user.name, password: user.password };
    const r = await runCheck(new SmbCheck(), { ...base, params: { share: 'files', file: 'docs/report.txt', expect: { contains: 'defaced' } } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as sktest_smb; 'docs/report.txt' on share 'files': 'defaced' not found in ${CONTENT.length} bytes`);
    const r2 = await runCheck(new SmbCheck(), { ...base, params: { share: 'files', file: 'gone.txt' } }, { timeoutMs: 10_000 });
    expect(r2.error).toBe(`logged in to ${host}:${port} as sktest_smb; 'gone.txt' not found on share 'files' (NT_STATUS_OBJECT_NAME_NOT_FOUND)`);
    const r3 = await runCheck(new SmbCheck(), { ...base, params: { share: 'nope' } }, { timeoutMs: 10_000 });
    expect(r3.error).toBe(`logged in to ${host}:${port} as sktest_smb; share 'nope' does not exist (NT_STATUS_BAD_NETWORK_NAME)`);
    const r4 = await runCheck(new SmbCheck(), { ...base, params: { share: 'locked' } }, { timeoutMs: 10_000 });
    expect(r4.error).toBe(`logged in to ${host}:${port} as sktest_smb; access to share 'locked' denied (NT_STATUS_ACCESS_DENIED)`);
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new SmbCheck(), { host, port: closed, username: user.name, password: user.password, params: { share: 'files' } });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});
