import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TcpCheck } from '../../src/checks/tcp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let server: Server;
let port: number;
const sockets = new Set<Socket>();
let onConnection: (s: Socket) => void = (s) => s.write('SSH-2.0-OpenSSH_9.2\r\n');

beforeAll(async () => {
  server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    onConnection(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

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
    onConnection = (s) => s.end('220 mail ESMTP\r\n');
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { contains: 'SSH-' } } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`connected to 127.0.0.1:${port}; banner: 'SSH-' not found in 16 bytes before the server closed the connection`);
  });

  test('a silent server gives "no banner" before the deadline', async () => {
    onConnection = () => undefined;
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
    onConnection = () => controller.abort(new Error('scan stopped'));
    const r = await runCheck(new TcpCheck(), { host: '127.0.0.1', port, params: { banner: { contains: 'x' } } }, { signal: controller.signal });
    expect(r.score).toBe(0);
    expect(r.error).toBe('scan stopped');
    await expectNoLeakedResources(before);
  });
});
