/**
 * A TCP proxy between a client and a server (node:net), for breaking the network on
 * purpose: `refuse()` drops every open connection and every new one (the server looks
 * unreachable), `hold()` stops forwarding bytes (the server looks hung) until
 * `release()`, `restore()` forwards normally again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { once } from 'node:events';

/** A pair of sockets the proxy forwards between, with bytes held in each direction. */
interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly toServer: Buffer[];
  readonly toClient: Buffer[];
}

/** A running proxy. */
export interface TcpProxy {
  readonly port: number;
  /** Connections refused (accepted and dropped at once) since the last `restore()`. */
  readonly refused: number;
  /** Chunks the client sent while held (the server has not seen them). */
  readonly heldChunks: number;
  /** Drops every connection, and every new one, until `restore()`. */
  refuse(): void;
  /** Forwards normally again. */
  restore(): void;
  /** Stops forwarding in both directions (bytes wait) until `release()`. */
  hold(): void;
  /** Forwards what was held and carries on normally. */
  release(): void;
  /** Closes the proxy and every connection. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let mode: 'forward' | 'refuse' | 'hold' = 'forward';
  let refused = 0;
  let heldChunks = 0;
  const closedWhileHeld = new Set<() => void>();
  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      refused++;
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, toServer: [], toClient: [] };
    pairs.add(pair);
    const drop = () => {
      // While held, a closed side is only seen after release (with the bytes it sent).
      if (mode === 'hold') return void closedWhileHeld.add(drop);
      pairs.delete(pair);
      client.end(); // what was written still reaches the other side
      upstream.end();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (chunk: Buffer) => {
      if (mode === 'hold') {
        heldChunks++;
        pair.toServer.push(chunk);
      } else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (mode === 'hold') pair.toClient.push(chunk);
      else client.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('tcp proxy: no address');

  return {
    port: address.port,
    get refused() {
      return refused;
    },
    get heldChunks() {
      return heldChunks;
    },
    refuse() {
      mode = 'refuse';
      closedWhileHeld.clear();
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    restore() {
      mode = 'forward';
      refused = 0;
    },
    hold() {
      mode = 'hold';
      heldChunks = 0;
    },
    release() {
      mode = 'forward';
      for (const pair of pairs) {
        for (const chunk of pair.toServer.splice(0)) pair.upstream.write(chunk);
        for (const chunk of pair.toClient.splice(0)) pair.client.write(chunk);
      }
      for (const drop of closedWhileHeld) drop();
      closedWhileHeld.clear();
    },
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
