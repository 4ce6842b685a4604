/**
 * A slow web service whose answers the test lets go: requests wait (counted in
 * `pending`) until `release()`; after that every request is answered at once.
 */
import { createServer, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Socket } from 'node:net';

/** A running held server. */
export interface HeldHttpServer {
  readonly port: number;
  /** Requests waiting for `release()`. */
  readonly pending: number;
  /** Answers the waiting requests, and every later one at once. */
  release(): void;
  close(): Promise<void>;
}

/** Starts a held server on 127.0.0.1. */
export async function startHeldHttpServer(): Promise<HeldHttpServer> {
  const waiting = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  let released = false;
  const answer = (res: ServerResponse) => {
    if (!res.destroyed) res.end('<h1>it works</h1>');
  };
  const server = createServer((_req, res) => {
    if (released) return answer(res);
    waiting.add(res);
    res.on('close', () => waiting.delete(res));
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    get pending() {
      return waiting.size;
    },
    release() {
      released = true;
      for (const res of waiting) answer(res);
      waiting.clear();
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
