// No Node library provides an RDP server: these cover what is not RDP; xrdp is in test/daemons.
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { RdpCheck } from '../../src/checks/rdp.js';
import { connectionRequest } from '../../src/probes/rdp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server.js';

let server: ScriptedServer;
let port: number;
let onRequest: (s: Socket, data: Buffer) => void = () => undefined;

beforeAll(async () => {
  server = await scriptedServer((s) => s.once('data', (d: Buffer) => onRequest(s, d)));
  port = server.port;
});
afterAll(() => server.close());

describe('rdp check', () => {
  test('the Connection Request is the documented 19 bytes', () => {
    expect(connectionRequest(3).toString('hex')).toBe('030000130ee000000000000100080003000000');
  });

  test('a server that is not RDP', async () => {
    onRequest = (s) => s.end('SSH-2.0-OpenSSH_9.2\r\n');
    const r = await runCheck(new RdpCheck(), { host: '127.0.0.1', port });
    expect(r).toMatchObject({ score: 0, error: `connected to 127.0.0.1:${port}; the answer is not a TPKT/X.224 packet (not RDP?): "SSH-"` });
  });

  test('a server that hangs up, and one that stays silent', async () => {
    onRequest = (s) => s.end();
    expect((await runCheck(new RdpCheck(), { host: '127.0.0.1', port })).error).toBe(
      `connected to 127.0.0.1:${port}; the server closed the connection before X.224 Connection Confirm`,
    );
    onRequest = () => undefined;
    const r = await runCheck(new RdpCheck(), { host: '127.0.0.1', port }, { timeoutMs: 400 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; no X\\.224 Connection Confirm within 0\\.\\d+ s$`));
  });

  test('nothing listening; unknown params', async () => {
    const free = await freePort();
    expect((await runCheck(new RdpCheck(), { host: '127.0.0.1', port: free })).error).toBe(`connection refused by 127.0.0.1:${free}`);
    expect((await runCheck(new RdpCheck(), { host: '127.0.0.1', port, params: { user: 'x' } })).error).toMatch(/^team-1\/rdp: params: /);
    // remote-admin's `protocol` selector is removed before rdp sees the service
    expect((await runCheck(new RdpCheck(), { host: '127.0.0.1', port, params: { protocol: 'rdp' } })).error).toMatch(/^team-1\/rdp: params: /);
  });

  test('an abort mid-handshake leaves nothing open', async () => {
    const before = activeResources();
    const controller = new AbortController();
    onRequest = () => controller.abort(new Error('scan stopped'));
    const r = await runCheck(new RdpCheck(), { host: '127.0.0.1', port }, { signal: controller.signal });
    expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
    await expectNoLeakedResources(before);
  });
});
