// rdp against xrdp on 127.0.0.1 with a copy of the packaged xrdp.ini on a non-standard port.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RdpCheck } from '../../src/checks/rdp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let dir: string;
let xrdp: Daemon;
let port: number;

beforeAll(async () => {
  dir = tempDir('xrdp');
  port = await freePort();
  const ini = readFileSync('/etc/xrdp/xrdp.ini', 'utf8').replace(/^port=3389$/m, `port=tcp://127.0.0.1:${port}`);
  writeFileSync(join(dir, 'xrdp.ini'), ini);
  xrdp = await startDaemon({ name: 'xrdp', command: 'xrdp', args: ['--nodaemon', '-c', join(dir, 'xrdp.ini')], port });
});
afterAll(async () => {
  await xrdp?.stop();
  removeDir(dir);
});

describe('rdp check against xrdp', () => {
  test('the handshake completes and names the selected protocol, leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(new RdpCheck(), { host: '127.0.0.1', port, points: 4 });
    expect(r).toMatchObject({ score: 4, error: null });
    expect(r.logs).toEqual([`team-1/rdp: Success Team1 : RDP handshake (SSL) to 127.0.0.1:${port}`]);
    await expectNoLeakedResources(before);
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await runCheck(new RdpCheck(), { host: '127.0.0.1', port: free });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${free}` });
  });
});
