// An in-process SNTP server on node:dgram; its answers are set per test.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NtpCheck } from '../../src/checks/ntp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

interface Reply { leap?: number; mode?: number; stratum?: number; refId?: string; skewSeconds?: number; silent?: boolean; wrongOriginate?: boolean }
let reply: Reply = {};
let onRequest: () => void = () => undefined;
let server: Socket;
let port: number;

function ntpTime(buf: Buffer, offset: number, ms: number): void {
  buf.writeUInt32BE(Math.floor(ms / 1000) + 2_208_988_800, offset);
  buf.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32), offset + 4);
}

beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (msg, rinfo) => {
    onRequest();
    if (reply.silent || msg.length < 48) return;
    const out = Buffer.alloc(48);
    out[0] = ((reply.leap ?? 0) << 6) | (4 << 3) | (reply.mode ?? 4);
    out[1] = reply.stratum ?? 2;
    out.write(reply.refId ?? '', 12, 'latin1');
    if (!reply.wrongOriginate) msg.copy(out, 24, 40, 48);
    const now = Date.now() + (reply.skewSeconds ?? 0) * 1000;
    ntpTime(out, 32, now);
    ntpTime(out, 40, now);
    server.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  port = server.address().port;
});
afterAll(() => new Promise<void>((r) => server.close(r)));

const run = (params: Record<string, unknown> = {}, opts: { timeoutMs?: number; signal?: AbortSignal } = {}) =>
  runCheck(new NtpCheck(), { host: '127.0.0.1', port, params }, opts);

describe('ntp check', () => {
  test('a synchronized server passes', async () => {
    reply = {};
    const r = await run();
    expect(r).toMatchObject({ score: 1, error: null });
    expect(r.logs).toEqual([`team-1/ntp: Success Team1 : NTP query to 127.0.0.1:${port}`]);
  });

  test('stratum, leap, kiss-o-death, mode and clock offset are judged', async () => {
    const from = `NTP answer from 127.0.0.1:${port}`;
    reply = { stratum: 9 };
    expect((await run({ maxStratum: 8 })).error).toBe(`${from} has stratum 9 (at most 8 allowed)`);
    reply = { leap: 3 };
    expect((await run()).error).toBe(`${from}: the server is not synchronized`);
    reply = { stratum: 0, refId: 'RATE' };
    expect((await run()).error).toBe(`${from} is a kiss-o'-death (RATE): the server refuses to serve time`);
    reply = { mode: 3 };
    expect((await run()).error).toBe(`${from} has mode 3, not 4 (server)`);
    reply = { skewSeconds: -7200 };
    expect((await run()).error).toBe(`${from}: its clock is 7200 s off (at most 3600 s allowed)`);
    expect((await run({ maxOffsetSeconds: 10000 })).error).toBeNull();
  });

  test('an answer that does not echo our request is ignored', async () => {
    reply = { wrongOriginate: true };
    const r = await run({}, { timeoutMs: 500 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^no NTP answer from 127\\.0\\.0\\.1:${port} within 0\\.\\d+ s$`));
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await runCheck(new NtpCheck(), { host: '127.0.0.1', port: free });
    expect(r.error).toBe(`NTP server 127.0.0.1:${free} refused the request (nothing listening on UDP ${free}?)`);
  });

  test('an abort mid-request closes the socket', async () => {
    reply = { silent: true };
    const before = activeResources();
    const controller = new AbortController();
    onRequest = () => controller.abort(new Error('scan stopped'));
    try {
      expect(await run({}, { signal: controller.signal })).toMatchObject({ score: 0, error: 'scan stopped' });
      await expectNoLeakedResources(before);
    } finally {
      onRequest = () => undefined;
    }
  });
});
