// dns against dnsmasq on 127.0.0.1 with a non-standard port and records from the command line.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DnsCheck } from '../../src/checks/dns.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, type Daemon } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { startDnsmasq } from './support/dnsmasq.js';

let dnsmasq: Daemon;
let port: number;

beforeAll(async () => {
  dnsmasq = await startDnsmasq();
  port = dnsmasq.port;
});
afterAll(async () => dnsmasq?.stop());

const run = (params: Record<string, unknown>, p = port) => runCheck(new DnsCheck(), { host: '127.0.0.1', port: p, params });

describe('dns check against dnsmasq', () => {
  test('A, CNAME, MX, TXT and PTR answers pass, leaving nothing open', async () => {
    const before = activeResources();
    expect(await run({ name: 'www.team1.local', expect: ['10.1.1.5'] })).toMatchObject({ score: 1, error: null });
    expect((await run({ name: 'web.team1.local', type: 'CNAME', expect: ['www.team1.local'] })).error).toBeNull();
    expect((await run({ name: 'team1.local', type: 'MX', expect: ['10 mail.team1.local'] })).error).toBeNull();
    expect((await run({ name: 'team1.local', type: 'TXT', expect: ['v=spf1 -all'] })).error).toBeNull();
    expect((await run({ name: '10.1.1.5', type: 'PTR', expect: ['www.team1.local'] })).error).toBeNull();
    await expectNoLeakedResources(before);
  });

  test('wrong answer', async () => {
    const r = await run({ name: 'www.team1.local', expect: ['10.1.1.99'] });
    expect(r).toMatchObject({ score: 0, error: `DNS server 127.0.0.1:${port} answered www.team1.local A with 10.1.1.5, but 10.1.1.99 is missing` });
  });

  test('a name that does not exist', async () => {
    const r = await run({ name: 'ftp.team1.local' });
    expect(r.error).toBe(`DNS server 127.0.0.1:${port} says ftp.team1.local does not exist (NXDOMAIN)`);
  });

  test('nothing listening', async () => {
    const free = await freePort();
    const r = await run({ name: 'www.team1.local' }, free);
    expect(r.score).toBe(0);
    expect(r.error).toBe(`no answer from DNS server 127.0.0.1:${free} for www.team1.local A: it could not be contacted (no DNS server on that port, or the host is down or unreachable)`);
  });
});
