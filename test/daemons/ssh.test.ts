// The ssh check against a real OpenSSH sshd on 127.0.0.1 with its own config and a local user.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SshCheck } from '../../src/checks/ssh.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { ensureTestUser, type TestUser } from './support/users.js';

describe('ssh check against OpenSSH sshd', () => {
  let dir: string;
  let daemon: Daemon;
  let user: TestUser;
  let port: number;
  let privateKey: string;
  const host = '127.0.0.1';

  beforeAll(async () => {
    user = ensureTestUser('sktest_ssh', 'Ssh-pass-1');
    dir = tempDir('sshd');
    port = await freePort();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
    privateKey = readFileSync(join(dir, 'user_key'), 'utf8');
    const uid = Number(execFileSync('id', ['-u', user.name]).toString());
    const gid = Number(execFileSync('id', ['-g', user.name]).toString());
    mkdirSync(join(user.home, '.ssh'), { recursive: true, mode: 0o700 });
    writeFileSync(join(user.home, '.ssh', 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o600 });
    chownSync(join(user.home, '.ssh'), uid, gid);
    chownSync(join(user.home, '.ssh', 'authorized_keys'), uid, gid);
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        `ListenAddress ${host}`,
        `HostKey ${join(dir, 'host_key')}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'PubkeyAuthentication yes',
        'UsePAM yes',
        `AllowUsers ${user.name}`,
        '',
      ].join('\n'),
    );
    mkdirSync('/run/sshd', { recursive: true });
    execFileSync('/usr/sbin/sshd', ['-t', '-f', join(dir, 'sshd_config')]);
    daemon = await startDaemon({ name: 'sshd', command: '/usr/sbin/sshd', args: ['-D', '-e', '-f', join(dir, 'sshd_config')], port });
  });
  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  test('password login and a command whose output matches', async () => {
    const before = activeResources();
    const r = await runCheck(
      new SshCheck(),
      { host, port, username: user.name, password: user.password, points: 5, params: { command: 'id -un', expect: { regex: '^sktest_ssh\\s*$' } } },
      { timeoutMs: 10_000 },
    );
    expect(r).toMatchObject({ score: 5, error: null });
    expect(r.logs).toEqual([`team-1/ssh: Success Team1 : SSH login as sktest_ssh and 'id -un' to ${host}:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('key login', async () => {
    const r = await runCheck(new SshCheck(), { host, port, username: user.name, params: { privateKey, command: 'true' } }, { timeoutMs: 10_000 });
    expect(r).toMatchObject({ score: 1, error: null });
  });

  test('wrong password', async () => {
    const r = await runCheck(new SshCheck(), { host, port, username: user.name, password: 'Wrong-pass-9' }, { timeoutMs: 10_000 });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to ${host}:${port}; login as sktest_ssh rejected`);
    expect(JSON.stringify(r)).not.toContain('Wrong-pass-9');
  });

  test('wrong output, and a failing command', async () => {
    const r = await runCheck(new SshCheck(), { host, port, username: user.name, password: user.password, params: { command: 'echo hello', expect: { contains: 'defaced' } } }, { timeoutMs: 10_000 });
    expect(r.error).toBe(`logged in to ${host}:${port} as sktest_ssh; output of 'echo hello': 'defaced' not found in 6 bytes`);
    const r2 = await runCheck(new SshCheck(), { host, port, username: user.name, password: user.password, params: { command: 'exit 3' } }, { timeoutMs: 10_000 });
    expect(r2.error).toBe(`logged in to ${host}:${port} as sktest_ssh; command 'exit 3' exited 3`);
  });

  test('nothing listening', async () => {
    const closed = await freePort();
    const r = await runCheck(new SshCheck(), { host, port: closed, username: user.name, password: user.password });
    expect(r.error).toBe(`connection refused by ${host}:${closed}`);
  });
});
