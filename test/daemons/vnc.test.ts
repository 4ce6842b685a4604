// vnc against Xtigervnc on 127.0.0.1: one with VNC authentication (password file from vncpasswd -f), one without.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VncCheck } from '../../src/checks/vnc.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let dir: string;
let withAuth: Daemon;
let noAuth: Daemon;

async function xvnc(display: number, security: string[]): Promise<Daemon> {
  const port = await freePort();
  return startDaemon({
    name: `Xtigervnc :${display}`,
    command: 'Xtigervnc',
    args: [`:${display}`, '-rfbport', String(port), '-interface', '127.0.0.1', '-nolisten', 'tcp', '-BlacklistThreshold', '1000',
      '-desktop', 'team1-desktop', '-geometry', '640x480', ...security],
    port,
    env: { HOME: dir },
  });
}

beforeAll(async () => {
  dir = tempDir('vnc');
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, execFileSync('vncpasswd', ['-f'], { input: 'Vnc-s3cret\n' }));
  const display = 60 + (process.pid % 30);
  withAuth = await xvnc(display, ['-SecurityTypes', 'VncAuth', '-rfbauth', passwd]);
  noAuth = await xvnc(display + 1, ['-SecurityTypes', 'None']);
});
afterAll(async () => {
  await withAuth?.stop();
  await noAuth?.stop();
  removeDir(dir);
});

describe('vnc check against Xtigervnc', () => {
  test('the right password gets a desktop, leaving nothing open', async () => {
    const before = activeResources();
    // VNC passwords are 8 bytes: the rest is ignored by the server and the client alike
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port: withAuth.port, username: 'unused', password: 'Vnc-s3cret', params: { desktopName: { contains: 'team1-desktop' } } });
    expect(r).toMatchObject({ score: 1, error: null });
    await expectNoLeakedResources(before);
  });

  test('a wrong password is rejected, and not shown', async () => {
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port: withAuth.port, username: 'unused', password: 'wrong-pw' });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to 127.0.0.1:${withAuth.port}; VNC password rejected (Authentication failure)`);
    expect(JSON.stringify(r)).not.toContain('wrong-pw');
  });

  test('wrong desktop name', async () => {
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port: withAuth.port, username: 'u', password: 'Vnc-s3cret', params: { desktopName: { contains: 'team2' } } });
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${withAuth.port}; logged in, but desktop name ".*team1-desktop.*": 'team2' not found in \\d+ bytes$`));
  });

  test('a server without a password passes only when allowNoAuth is set', async () => {
    expect(await runCheck(new VncCheck(), { host: '127.0.0.1', port: noAuth.port, params: { allowNoAuth: true } })).toMatchObject({ score: 1, error: null });
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port: noAuth.port, username: 'u', password: 'x' });
    expect(r.error).toBe(`connected to 127.0.0.1:${noAuth.port}; the VNC server asks for no password (security type None), which allowNoAuth does not permit`);
  });

  test('a password server with no password configured, and nothing listening', async () => {
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port: withAuth.port, params: { allowNoAuth: true } });
    expect(r.error).toBe(`connected to 127.0.0.1:${withAuth.port}; the VNC server wants VNC authentication, but no password is configured`);
    const free = await freePort();
    expect((await runCheck(new VncCheck(), { host: '127.0.0.1', port: free, password: 'x', username: 'u' })).error).toBe(`connection refused by 127.0.0.1:${free}`);
  });
});
