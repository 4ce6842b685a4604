/**
 * A small HTTP server for the http and tcp protocol benchmarks, run in the benchmark's
 * parent process (so its CPU is never the measured scanner's): answers every request
 * with a short page, keeps idle connections 1 s.
 */
import { createServer } from 'node:http';
import type { RunningDaemon } from './protocol-bench.js';

/** The page it serves. */
export const PAGE = '<title>Team 1 shop</title>';

/** Starts the server on 127.0.0.1 and a free port; `params` are the check's. */
export async function startParentHttpServer(params: Record<string, unknown>): Promise<RunningDaemon> {
  const server = createServer((_req, res) => res.end(PAGE));
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    target: { host: '127.0.0.1', port, params },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
