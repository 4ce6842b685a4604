/**
 * A TCP server that accepts and reads but never answers, for the "silent server" cases of
 * the database checks, and the shared abort-mid-probe case built on it.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { expect } from 'vitest';
import type { ServiceType } from '../../src/service-type.js';
import { runCheck, type ServiceInit } from '../../src/testing/run-check.js';
import { activeResources, expectNoLeakedResources } from './handles.js';

/** A listening silent server and the sockets open on it now. */
export interface SilentServer {
  readonly server: Server;
  readonly port: number;
  readonly sockets: Set<Socket>;
  close(): Promise<void>;
}

/** Starts a server on `host` that reads (and drops) what clients send and never answers. */
export async function silentServer(host = '127.0.0.1'): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.resume(); // read (and drop) what the client sends, so its close is noticed
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as { port: number }).port;
  return { server, port, sockets, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
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
