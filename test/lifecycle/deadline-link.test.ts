import { describe, expect, test } from 'vitest';
import { CheckTimeoutError } from '../../src/errors.js';
import { linkToDeadline, startDeadline } from '../../src/lifecycle/deadline.js';
import { runLifecycle } from '../../src/lifecycle/run-lifecycle.js';
import { startProbeDeadline } from '../../src/probes/tcp-deadline.js';
import { ServiceRegistry } from '../../src/registry.js';
import { ServiceType } from '../../src/service-type.js';
import { makeService } from '../../src/testing/run-check.js';
import type { CheckContext, Service } from '../../src/types.js';

describe('linking to a check deadline', () => {
  test('a listener hears the deadline fire, or the check stop, once; unlinked, it hears nothing', async () => {
    const timedOut = startDeadline(20);
    const heard: unknown[] = [];
    timedOut.onAbort((reason) => heard.push(reason));
    const unlinked = timedOut.onAbort((reason) => heard.push(`unlinked ${String(reason)}`));
    unlinked();
    await new Promise((r) => setTimeout(r, 40));
    expect(heard).toHaveLength(1);
    expect(heard[0]).toBeInstanceOf(CheckTimeoutError);

    const stopped = startDeadline(10_000);
    stopped.onAbort((reason) => heard.push(reason));
    stopped.abort('scan stopped');
    stopped.abort('again');
    expect(heard.slice(1)).toEqual(['scan stopped']);
    // Linked after it fired: told at once.
    stopped.onAbort((reason) => heard.push(`late ${String(reason)}`));
    expect(heard.slice(2)).toEqual(['late scan stopped']);
  });

  test('a context of its own (a test, another engine) is linked through its signal', () => {
    const controller = new AbortController();
    const heard: unknown[] = [];
    const unlink = linkToDeadline({ signal: controller.signal }, (reason) => heard.push(reason));
    unlink();
    linkToDeadline({ signal: controller.signal }, (reason) => heard.push(reason));
    controller.abort('stop');
    expect(heard).toEqual(['stop']);
    linkToDeadline({ signal: controller.signal }, (reason) => heard.push(`late ${String(reason)}`));
    expect(heard).toEqual(['stop', 'late stop']);
  });

  test("a probe's deadline aborts with the reason the engine stopped its check for", async () => {
    let probeSignal: AbortSignal | undefined;
    class WaitsForProbe extends ServiceType {
      readonly shortName = 'waits';
      override async doCheck(service: Service, ctx: CheckContext) {
        const probe = startProbeDeadline(ctx);
        probeSignal = probe.signal;
        try {
          await new Promise<void>((_r, reject) => probe.signal.addEventListener('abort', () => reject(probe.signal.reason as Error)));
        } finally {
          probe.dispose();
        }
        this.reportScore(service, service.points, null);
      }
    }
    const type = new WaitsForProbe();
    const control: { cancel?: (reason: unknown) => void } = {};
    const running = runLifecycle(
      { services: [makeService(type, { host: 'x' }, 10_000)], type, registry: new ServiceRegistry(), logSink: () => undefined, timeoutMs: 10_000 },
      () => undefined,
      control,
    );
    await new Promise((r) => setTimeout(r, 10));
    control.cancel?.(new Error('the scan was stopped'));
    const outcome = await running;
    expect((probeSignal?.reason as Error).message).toBe('the scan was stopped');
    expect(outcome.outcomes[0]).toMatchObject({ score: 0, error: 'the scan was stopped', timedOut: false });
  });
});
