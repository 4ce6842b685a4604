// A real in-process DNS server: node:dgram answering with dns-packet.
import { createSocket, type Socket } from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DnsCheck } from '../../src/checks/dns.js';
import { runCheck } from '../../src/testing/run-check.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let server: Socket;
let port: number;
let silent = false;
let onQuery: () => void = () => undefined;

const zone: Record<string, dnsPacket.Answer[]> = {
  'www.team1.local/A': [{ type: 'A', name: 'www.team1.local', ttl: 60, data: '10.1.1.5' }, { type: 'A', name: 'www.team1.local', ttl: 60, data: '10.1.1.6' }],
  'team1.local/MX': [{ type: 'MX', name: 'team1.local', ttl: 60, data: { preference: 10, exchange: 'mail.team1.local' } }],
  'team1.local/TXT': [{ type: 'TXT', name: 'team1.local', ttl: 60, data: ['v=spf1 ', '-all'] }],
};

beforeAll(async () => {
  server = createSocket('udp4');
  server.on('message', (msg, rinfo) => {
    onQuery();
    if (silent) return;
    const q = dnsPacket.decode(msg);
    const question = q.questions?.[0];
    const key = `${question?.name}/${question?.type}`;
    const exists = Object.keys(zone).some((k) => k.startsWith(`${question?.name}/`));
    const answer = dnsPacket.encode({
      id: q.id,
      type: 'response',
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.AUTHORITATIVE_ANSWER | (exists ? 0 : 3), // rcode 3 = NXDOMAIN
      questions: q.questions ?? [],
      answers: zone[key] ?? [],
    });
    server.send(answer, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => server.bind(0, '127.0.0.1', r));
  port = server.address().port;
});
afterAll(() => new Promise<void>((r) => server.close(r)));

const run = (params: Record<string, unknown>, timeoutMs?: number, signal?: AbortSignal) =>
  runCheck(new DnsCheck(), { host: '127.0.0.1', port, params }, { ...(timeoutMs ? { timeoutMs } : {}), ...(signal ? { signal } : {}) });

describe('dns check', () => {
  test('A answers: all expected present', async () => {
    const r = await run({ name: 'www.team1.local', expect: ['10.1.1.5', '10.1.1.6'] });
    expect(r).toMatchObject({ score: 1, error: null });
    expect(r.logs).toEqual([`team-1/dns: Success Team1 : DNS A query for www.team1.local to 127.0.0.1:${port}`]);
  });

  test('an expected answer missing', async () => {
    const r = await run({ name: 'www.team1.local', expect: ['10.1.1.5', '10.1.1.7'] });
    expect(r.error).toBe(`DNS server 127.0.0.1:${port} answered www.team1.local A with 10.1.1.5, 10.1.1.6, but 10.1.1.7 is missing`);
  });

  test('MX with or without priority, TXT joined', async () => {
    expect((await run({ name: 'team1.local', type: 'MX', expect: ['10 mail.team1.local', 'MAIL.team1.local.'] })).error).toBeNull();
    expect((await run({ name: 'team1.local', type: 'TXT', expect: ['v=spf1 -all'] })).error).toBeNull();
  });

  test('NXDOMAIN and no data', async () => {
    expect((await run({ name: 'nope.team1.local' })).error).toBe(`DNS server 127.0.0.1:${port} says nope.team1.local does not exist (NXDOMAIN)`);
    expect((await run({ name: 'www.team1.local', type: 'AAAA' })).error).toBe(`DNS server 127.0.0.1:${port} has no AAAA record for www.team1.local`);
  });

  test('a silent server: the probe gives up before the deadline', async () => {
    silent = true;
    try {
      const r = await run({ name: 'www.team1.local' }, 600);
      expect(r.timedOut).toBe(false);
      expect(r.error).toMatch(new RegExp(`^no answer from DNS server 127\\.0\\.0\\.1:${port} for www\\.team1\\.local A within 0\\.\\d+ s$`));
    } finally {
      silent = false;
    }
  });

  test('a closed UDP port is no answer from the host, not a refused connection', async () => {
    // bound then closed: the kernel answers the query with ICMP port unreachable, as an
    // unreachable host's router does, and c-ares cannot tell the two apart
    const closed = createSocket('udp4');
    await new Promise<void>((r) => closed.bind(0, '127.0.0.1', r));
    const closedPort = closed.address().port;
    await new Promise<void>((r) => closed.close(r));
    const r = await runCheck(new DnsCheck(), { host: '127.0.0.1', port: closedPort, params: { name: 'www.team1.local' } }, { timeoutMs: 2000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toBe(
      `no answer from DNS server 127.0.0.1:${closedPort} for www.team1.local A: it could not be contacted (no DNS server on that port, or the host is down or unreachable)`,
    );
  });

  test('an abort mid-query leaves nothing behind', async () => {
    silent = true;
    const before = activeResources();
    const controller = new AbortController();
    onQuery = () => controller.abort(new Error('scan stopped'));
    try {
      const r = await run({ name: 'www.team1.local' }, 5000, controller.signal);
      expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
      await expectNoLeakedResources(before);
    } finally {
      silent = false;
      onQuery = () => undefined;
    }
  });

  test('params: name required, type checked', async () => {
    expect((await run({})).error).toMatch(/^team-1\/dns: params\.name: /);
    expect((await run({ name: 'x', type: 'ANY' })).error).toMatch(/^team-1\/dns: params\.type: /);
  });
});
