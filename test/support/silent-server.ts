/**
 * A scripted TCP server that accepts and reads but never answers, for the "silent server" cases of
 * the database checks, and the shared abort-mid-probe case built on it.
 */
import type { Socket } from 'node:net';
import { expect } from 'vitest';
import type { ServiceType } from '../../src/service-type.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { activeResources, expectNoLeakedResources } from './handles.js';
import { scriptedServer, type ScriptedServer } from './scripted-server.js';

/** Starts a server on `host` that reads (and drops) what clients send and never answers. */
export function silentServer(host = '127.0.0.1'): Promise<ScriptedServer> {
  // Reading what the client sends lets its close be noticed.
  return scriptedServer((s) => s.resume(), host);
}

/**
 * Aborts a check while it waits on a silent server (at connect, or once the client's
 * first bytes arrived) and expects it scored 0 at once with nothing left open.
 */
export async function expectAbortMidProbe(check: ServiceType, service: ServiceInit, abortWhen: 'connected' | 'sent'): Promise<void> {
  const silent = await silentServer(service.host);
  try {
    const controller = new AbortController();
    const abort = () => controller.abort(new Error('scan stopped'));
    silent.server.once('connection', (s: Socket) => (abortWhen === 'connected' ? abort() : s.once('data', abort)));
    const before = activeResources();
    const r = await runCheck(check, { ...service, port: silent.port }, { timeoutMs: 10_000, signal: controller.signal });
    expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
    expect(r.timings.doCheck).toBeLessThan(1000);
    await expectNoLeakedResources(before);
    expect(silent.sockets.size).toBe(0);
  } finally {
    await silent.close();
  }
}
