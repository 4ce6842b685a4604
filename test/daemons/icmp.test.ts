// icmp against the machine's own loopback with the real iputils ping (no traffic leaves the host).
import { describe, expect, test } from 'vitest';
import { IcmpCheck } from '../../src/checks/icmp.js';
import { runCheck } from '../../src/testing/run-check.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

describe('icmp check with iputils ping', () => {
  test('IPv4 and IPv6 loopback answer, and the child is gone afterwards', async () => {
    const before = activeResources();
    for (const host of ['127.0.0.1', '::1']) {
      const r = await runCheck(new IcmpCheck(), { host, params: { count: 3 } });
      expect(r).toMatchObject({ score: 1, error: null });
    }
    await expectNoLeakedResources(before);
  });

  test('a host that cannot be pinged fails with the reason', async () => {
    const r = await runCheck(new IcmpCheck(), { host: 'no-such-host.invalid' });
    expect(r).toMatchObject({ score: 0, error: 'ping could not resolve no-such-host.invalid' });
  });

  test('pings that do not fit the deadline are cut short (ping -w) and judged on those sent', async () => {
    // 10 pings 0.5 s apart do not fit in 1.5 s: ping's own -w 1 ends it with its summary
    const t0 = Date.now();
    const r = await runCheck(new IcmpCheck(), { host: '127.0.0.1', params: { count: 10, intervalSeconds: 0.5, maxLossPercent: 0 } }, { timeoutMs: 1500 });
    expect(r).toMatchObject({ score: 1, error: null, timedOut: false });
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  test('an abort mid-ping kills the child', async () => {
    await waitFor(() => !activeResources().has('ProcessWrap')); // earlier pings fully reaped
    const before = activeResources();
    const controller = new AbortController();
    const pending = runCheck(new IcmpCheck(), { host: '127.0.0.1', params: { count: 20, intervalSeconds: 1 } }, { signal: controller.signal, timeoutMs: 30_000 });
    await waitFor(() => (activeResources().get('ProcessWrap') ?? 0) > (before.get('ProcessWrap') ?? 0));
    controller.abort(new Error('scan stopped'));
    const r = await pending;
    expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
    await expectNoLeakedResources(before);
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  const until = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
}
