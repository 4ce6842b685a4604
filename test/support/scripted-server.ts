/**
 * An in-process TCP server on 127.0.0.1 whose answer to each connection a test scripts:
 * for peers no Node library provides (a banner, a hang-up, silence, a non-protocol
 * reply). Also the silent server of the database checks.
 */
import { createServer, type Server, type Socket } from 'node:net';

/** What the server does with a new connection. */
export type ConnectionScript = (socket: Socket) => void;

/** A listening scripted server. */
export interface ScriptedServer {
  readonly server: Server;
  readonly port: number;
  /** The sockets open on it now. */
  readonly sockets: Set<Socket>;
  /** What it does with each new connection; a test may replace it before connecting. */
  onConnection: ConnectionScript;
  /** Destroys the open sockets and stops listening. */
  close(): Promise<void>;
}

/** Starts a server on `host` (a loopback address) that runs `onConnection` for each client. */
export async function scriptedServer(onConnection: ConnectionScript = () => undefined, host = '127.0.0.1'): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    scripted.onConnection(s);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const scripted: ScriptedServer = {
    server,
    port: (server.address() as { port: number }).port,
    sockets,
    onConnection,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return scripted;
}
