/**
 * redis: connect, PING, close, with node-redis (the check's library), against the
 * machine's redis-server on 127.0.0.1:6379 (REDIS_URL's host and port to move it).
 */
import { createClient } from 'redis';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The redis side of the protocol benchmark. */
export const redisBench: ProtocolBench = {
  type: 'redis',
  steps: 'connect, PING',
  checks: 1000,
  requires: ['redis-server'],
  async start() {
    const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    return { target: { host: url.hostname, port: Number(url.port || 6379), params: {} }, stop: async () => undefined };
  },
  async bare(t, signal) {
    const client = createClient({ socket: { host: t.host, port: t.port, connectTimeout: 0, reconnectStrategy: false }, disableClientInfo: true, RESP: 2 });
    client.on('error', () => undefined);
    const onAbort = () => client.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect();
      const reply: unknown = await client.sendCommand(['PING']);
      await client.close();
      return reply === 'PONG';
    } catch {
      client.destroy();
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
