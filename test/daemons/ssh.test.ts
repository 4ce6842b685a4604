// The ssh check against a real OpenSSH sshd on 127.0.0.1 with its own config and a local user.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SshCheck } from '../../src/checks/ssh.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { startSshd, type Sshd } from './support/sshd.js';
import type { TestUser } from './support/users.js';

describe('ssh check against OpenSSH sshd', () => {
  let sshd: Sshd;
  let user: TestUser;
  let port: number;
  let privateKey: string;
  const host = '127.0.0.1';

  beforeAll(async () => {
    sshd = await startSshd();
    ({ user, port, privateKey } = sshd);
  });
  afterAll(async () => sshd?.stop());

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
