import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TcpCheck } from '../../src/checks/tcp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server.js';

let server: ScriptedServer;
let port: number;

beforeAll(async () => {
  server = await scriptedServer((s) => s.write('SSH-2.0-OpenSSH_9.2\r\n'));
  port = server.port;
});
afterAll(() => server.close());

describe('tcp check', () => {
  test('connect only', async () => {
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, points: 3 });
    expect(r).toMatchObject({ score: 3, error: null });
    expect(r.logs).toEqual([`team-1/tcp: Success Team1 : TCP connect to 127.0.0.1:${port}`]);
  });

  test('banner matches', async () => {
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { regex: '^SSH-2\\.0-' } } });
    expect(r).toMatchObject({ score: 1, error: null });
  });

  test('banner does not match', async () => {
    server.onConnection = (s) => s.end('220 mail ESMTP\r\n');
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { contains: 'SSH-' } } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to 127.0.0.1:${port}; banner: 'SSH-' not found in 16 bytes before the server closed the connection`);
  });

  test('a silent server gives "no banner" before the deadline', async () => {
    server.onConnection = () => undefined;
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { contains: 'SSH-' } } }, { timeoutMs: 400 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; no banner \\(received within 0\\.\\d+ s\\)$`));
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port: free });
    expect(r).toMatchObject({ score: 0, error: `connection refused by 127.0.0.1:${free}` });
  });

  test('missing port and bad params are reported', async () => {
    expect((await runCheck(new TcpCheck(), { host: '127.0.0.1' })).error).toBe('team-1/tcp: a tcp check needs a port');
    expect((await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { bogus: 1 } } })).error).toMatch(/^team-1\/tcp: params\.banner/);
  });

  test('an abort mid-banner leaves nothing open', async () => {
    const before = activeResources();
    const controller = new AbortController();
    server.onConnection = () => controller.abort(new Error('scan stopped'));
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { contains: 'x' } } }, { signal: controller.signal });
    expect(r.score).toBe(0);
    expect(r.error).toBe('scan stopped');
    await expectNoLeakedResources(before);
  });
});
