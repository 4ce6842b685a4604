// ntp against chronyd serving its local clock at stratum 8 on 127.0.0.1, non-standard port.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NtpCheck } from '../../src/checks/ntp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let dir: string;
let chronyd: Daemon;
let port: number;

beforeAll(async () => {
  dir = tempDir('chrony');
  port = await freePort();
  const cfg = join(dir, 'chrony.conf');
  writeFileSync(cfg, [`port ${port}`, 'bindaddress 127.0.0.1', 'allow 127.0.0.1', 'local stratum 8', 'cmdport 0',
    `pidfile ${join(dir, 'chronyd.pid')}`, `driftfile ${join(dir, 'drift')}`, ''].join('\n'));
  chronyd = await startDaemon({ name: 'chronyd', command: 'chronyd', args: ['-d', '-x', '-u', 'root', '-f', cfg], port, readyText: 'chronyd version' });
  // UDP: ready once it answers
  const until = Date.now() + 10_000;
  while ((await runCheck(new NtpCheck(), { host: '127.0.0.1', port }, { timeoutMs: 300 })).score !== 1) {
    if (Date.now() > until) throw new Error(`chronyd did not answer on UDP ${port}:\n${chronyd.output()}`);
  }
});
afterAll(async () => {
  await chronyd?.stop();
  removeDir(dir);
});

describe('ntp check against chronyd', () => {
  test('a local-stratum-8 server passes, leaving no socket open', async () => {
    const before = activeResources();
    const r = await runCheck(new NtpCheck(), { host: '127.0.0.1', port, points: 2 });
    expect(r).toMatchObject({ score: 2, error: null });
    await expectNoLeakedResources(before);
  });

  test('stratum above the allowed maximum', async () => {
    const r = await runCheck(new NtpCheck(), { host: '127.0.0.1', port, params: { maxStratum: 5 } });
    expect(r).toMatchObject({ score: 0, error: `NTP answer from 127.0.0.1:${port} has stratum 8 (at most 5 allowed)` });
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await runCheck(new NtpCheck(), { host: '127.0.0.1', port: free });
    expect(r.error).toBe(`NTP server 127.0.0.1:${free} refused the request (nothing listening on UDP ${free}?)`);
  });
});
