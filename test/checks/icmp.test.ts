import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { IcmpCheck } from '../../src/checks/icmp.js';
import { runCheck } from '../../src/testing/run-check.js';

const hasPing = (() => {
  try {
    execFileSync('ping', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('icmp check', () => {
  test('params are validated before pinging', async () => {
    expect((await runCheck(new IcmpCheck(), { host: '127.0.0.1', params: { count: 0 } })).error).toMatch(/^team-1\/icmp: params\.count: /);
    expect((await runCheck(new IcmpCheck(), { host: '127.0.0.1', params: { intervalSeconds: 0.01 } })).error).toMatch(/^team-1\/icmp: params\.intervalSeconds: /);
    expect((await runCheck(new IcmpCheck(), { host: '127.0.0.1', params: { flood: true } })).error).toMatch(/^team-1\/icmp: params: Unrecognized key/);
  });

  test.skipIf(!hasPing)('loopback answers', async () => {
    const r = await runCheck(new IcmpCheck(), { host: '127.0.0.1', points: 2, params: { count: 2 } });
    expect(r).toMatchObject({ score: 2, error: null });
    expect(r.logs).toEqual(['team-1/icmp: Success Team1 : ICMP ping to 127.0.0.1']);
  });

  test.skipIf(!hasPing)('a host name that does not resolve', async () => {
    const r = await runCheck(new IcmpCheck(), { host: 'no-such-host.invalid' });
    expect(r).toMatchObject({ score: 0, error: 'ping could not resolve no-such-host.invalid' });
  });

  test.skipIf(!hasPing)('a host that looks like an option is not taken as one', async () => {
    const r = await runCheck(new IcmpCheck(), { host: '-f' });
    expect(r.score).toBe(0);
    expect(r.error).toBe('ping could not resolve -f');
  });
});
