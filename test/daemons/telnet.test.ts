// telnet against inetutils telnetd started by inetutils-inetd on 127.0.0.1, logging in as a local user made for the test.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TelnetCheck } from '../../src/checks/telnet.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const user = `sktel${process.pid % 10000}`;
const password = 'Tel-s3cret-42';
let dir: string;
let inetd: Daemon;
let port: number;

beforeAll(async () => {
  dir = tempDir('telnet');
  execFileSync('useradd', ['-m', '-d', join(dir, 'home'), '-s', '/bin/sh', user]);
  execFileSync('chpasswd', { input: `${user}:${password}\n` });
  port = await freePort();
  const cfg = join(dir, 'inetd.conf');
  writeFileSync(cfg, `127.0.0.1:${port} stream tcp nowait root /usr/sbin/telnetd telnetd\n`);
  // startDaemon runs it in a new session with stdin from /dev/null (what `setsid … </dev/null` does)
  inetd = await startDaemon({ name: 'inetutils-inetd', command: 'inetutils-inetd', args: ['-d', cfg], port });
});
afterAll(async () => {
  await inetd?.stop();
  try {
    execFileSync('userdel', ['-f', user], { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
  removeDir(dir);
});

const run = (init: { password?: string; params?: Record<string, unknown> }, timeoutMs = 10_000) =>
  runCheck(new TelnetCheck(), { host: '127.0.0.1', port, username: user, password: init.password ?? password, params: init.params ?? {} }, { timeoutMs });

describe('telnet check against inetutils telnetd', () => {
  test('login and a command with the expected output, leaving nothing open', async () => {
    const before = activeResources();
    const r = await run({ params: { command: 'echo team-$((6*7))', expect: { contains: 'team-42' } } });
    expect(r).toMatchObject({ score: 1, error: null });
    expect(r.logs).toEqual([`team-1/telnet: Success Team1 : TELNET login as ${user} and 'echo team-$((6*7))' to 127.0.0.1:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('wrong password is rejected, and not shown', async () => {
    const r = await run({ password: 'wrong-Tel-pw' }, 15_000);
    expect(r).toMatchObject({ score: 0, error: `connected to 127.0.0.1:${port}; login as ${user} rejected` });
    expect(JSON.stringify(r)).not.toContain('wrong-Tel-pw');
  });

  test('wrong command output', async () => {
    const r = await run({ params: { command: 'id -un', expect: { contains: 'root' } } });
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; logged in as ${user}, but 'id -un' output: 'root' not found in \\d+ bytes$`));
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await runCheck(new TelnetCheck(), { host: '127.0.0.1', port: free, username: user, password });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${free}` });
  });

  test('an abort mid-login leaves nothing open', async () => {
    await waitFor(() => !activeResources().has('TCPSocketWrap')); // earlier sockets fully closed
    const before = activeResources();
    const controller = new AbortController();
    const pending = runCheck(new TelnetCheck(), { host: '127.0.0.1', port, username: user, password }, { signal: controller.signal, timeoutMs: 10_000 });
    // connected (the telnet negotiation and login take ~1 s more): stop the scan now
    await waitFor(() => (activeResources().get('TCPSocketWrap') ?? 0) > (before.get('TCPSocketWrap') ?? 0));
    controller.abort(new Error('scan stopped'));
    expect(await pending).toMatchObject({ score: 0, error: 'scan stopped' });
    await expectNoLeakedResources(before);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in 5 s');
    await new Promise((r) => setTimeout(r, 5));
  }
}
