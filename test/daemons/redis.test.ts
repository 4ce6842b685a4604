// The redis check against a redis-server of its own with requirepass and an ACL user,
// on 127.0.0.1 and a free port; the machine's Redis on 6379 is not touched.
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RedisCheck } from '../../src/checks/redis.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const HOST = '127.0.0.1';
const REQUIREPASS = 'sk-Redis-pw-4242';
const ACL_USER = 'sk_carol';
const ACL_PASSWORD = 'sk-Carol-pw-9090';

describe('redis check against redis-server', () => {
  let dir: string;
  let daemon: Daemon;
  let port: number;

  beforeAll(async () => {
    dir = tempDir('redis');
    port = await freePort();
    daemon = await startDaemon({
      name: 'redis-server',
      command: 'redis-server',
      args: ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--requirepass', REQUIREPASS],
      port,
    });
    const admin = createClient({ socket: { host: HOST, port, reconnectStrategy: false }, password: REQUIREPASS });
    await admin.connect();
    await admin.sendCommand(['ACL', 'SETUSER', ACL_USER, 'on', `>${ACL_PASSWORD}`, '~flag:*', '+@read', '+ping']);
    await admin.sendCommand(['SET', 'flag:web', 'team-flag-5']);
    admin.destroy();
  });

  afterAll(async () => {
    await daemon?.stop();
    removeDir(dir);
  });

  async function check(init: Partial<ServiceInit>) {
    const before = activeResources();
    const r = await runCheck(new RedisCheck(), { host: HOST, port, points: 2, ...init }, { timeoutMs: 5000 });
    await expectNoLeakedResources(before);
    return r;
  }

  test('the requirepass password alone, PING expects PONG', async () => {
    const r = await check({ username: '', password: REQUIREPASS });
    expect(r).toMatchObject({ score: 2, error: null });
    expect(r.logs).toEqual([`team-1/redis: Success Team1 : Redis PING as default to ${HOST}:${port}`]);
  });

  test('an ACL user reads its key', async () => {
    const r = await check({ username: ACL_USER, password: ACL_PASSWORD, params: { command: ['GET', 'flag:web'], expect: 'team-flag-5' } });
    expect(r).toMatchObject({ score: 2, error: null });
  });

  test('wrong passwords: WRONGPASS, without the password in the message', async () => {
    const plain = await check({ password: 'not-the-pw-1' });
    expect(plain).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; AUTH rejected (WRONGPASS)` });
    const user = await check({ username: ACL_USER, password: 'not-the-pw-2' });
    expect(user).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; login as ${ACL_USER} rejected (WRONGPASS)` });
    expect(`${plain.error} ${user.error} ${plain.logs.join(' ')} ${user.logs.join(' ')}`).not.toMatch(/not-the-pw/);
  });

  test('no credentials for a server that needs them: NOAUTH', async () => {
    const r = await check({});
    expect(r).toMatchObject({ score: 0, error: `connected to ${HOST}:${port}; PING failed (NOAUTH Authentication required.)` });
  });

  test('wrong content', async () => {
    const r = await check({ username: ACL_USER, password: ACL_PASSWORD, params: { command: ['GET', 'flag:web'], expect: 'team-flag-6' } });
    expect(r).toMatchObject({ score: 0, error: "GET replied 'team-flag-5', expected 'team-flag-6'" });
  });

  test('nothing listening', async () => {
    const free = await freePort();
    expect(await check({ port: free })).toMatchObject({ score: 0, error: `connection refused by ${HOST}:${free}` });
  });
});
