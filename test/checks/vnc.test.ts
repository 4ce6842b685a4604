// No Node library provides a VNC server: DES known answers and non-VNC peers here; Xtigervnc is in test/daemons.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { VncCheck } from '../../src/checks/vnc.js';
import { desEncryptBlock, vncAuthResponse } from '../../src/probes/vnc-des.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server.js';

let server: ScriptedServer;
let port: number;

beforeAll(async () => {
  server = await scriptedServer();
  port = server.port;
});
afterAll(() => server.close());

describe('DES for VNC authentication', () => {
  test('known answers', () => {
    // the classic worked example, and the all-zero FIPS 81 style vector
    expect(desEncryptBlock(Buffer.from('133457799BBCDFF1', 'hex'), Buffer.from('0123456789ABCDEF', 'hex')).toString('hex')).toBe('85e813540f0ab405');
    expect(desEncryptBlock(Buffer.alloc(8), Buffer.alloc(8)).toString('hex')).toBe('8ca64de9c1b123a7');
  });

  test('the key is the password with each byte bit-reversed, truncated to 8 bytes', () => {
    const challenge = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    // "\x80" reversed is 0x01: a password of eight 0x80 bytes is the key 0101010101010101
    const key = Buffer.alloc(8, 0x01);
    const expected = Buffer.concat([desEncryptBlock(key, challenge.subarray(0, 8)), desEncryptBlock(key, challenge.subarray(8))]);
    expect(vncAuthResponse('\x80'.repeat(8), challenge)).toEqual(expected);
    expect(vncAuthResponse('\x80'.repeat(8) + 'ignored', challenge)).toEqual(expected);
  });
});

describe('vnc check', () => {
  test('a server that is not VNC', async () => {
    server.onConnection = (s) => s.end('SSH-2.0-OpenSSH_9.2\r\n');
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port, password: 'pw' });
    expect(r).toMatchObject({ score: 0, error: `connected to 127.0.0.1:${port}; the banner is not RFB (VNC): "SSH-2.0-Open"` });
  });

  test('a silent server: the probe names the missing banner', async () => {
    server.onConnection = () => undefined;
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port, password: 'pw' }, { timeoutMs: 400 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; no RFB version banner within 0\\.\\d+ s$`));
  });

  test('no credentials, nothing listening', async () => {
    expect((await runCheck(new VncCheck(), { host: '127.0.0.1', port })).error).toBe('team-1/vnc: no credentials for Team1 (no credentials configured for this service)');
    const free = await freePort();
    expect((await runCheck(new VncCheck(), { host: '127.0.0.1', port: free, params: { allowNoAuth: true } })).error).toBe(`connection refused by 127.0.0.1:${free}`);
  });

  test('an abort mid-handshake leaves nothing open', async () => {
    const before = activeResources();
    const controller = new AbortController();
    server.onConnection = (s) => s.write('RFB 003.008\n', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new VncCheck(), { host: '127.0.0.1', port, password: 'pw' }, { signal: controller.signal });
    expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
    await expectNoLeakedResources(before);
  });
});
