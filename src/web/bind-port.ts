/**
 * Binding the web server's port before anything slow: `serve` used to open the database
 * (seconds on the embedded one) and only then find its port taken. A port that cannot be
 * bound is one line naming the port and the option that changes it.
 */
import { createServer, type Server } from 'node:http';
import { ScorekeeperError } from '../errors.js';

/**
 * `server` (default: a plain HTTP one; createWebServerSocket makes an HTTPS one)
 * listening on `host:port` with no request handler yet (startWebServer adds it).
 * `option` names the command-line option that sets the port, for the message.
 */
export async function bindPort(port: number, host: string, option: string, server: Server = createServer()): Promise<Server> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      if (err.code === 'EADDRINUSE') reject(new ScorekeeperError('SK_WEB', `port ${port} is already in use on ${host}; choose another with ${option} PORT (0 picks a free one)`));
      else if (err.code === 'EACCES') reject(new ScorekeeperError('SK_WEB', `binding ${where} needs privileges; choose a port above 1023 with ${option} PORT`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new ScorekeeperError('SK_WEB', `address ${host} is not an address of this machine; choose another with --host`));
      else reject(new ScorekeeperError('SK_WEB', `cannot listen on ${where}: ${err.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  return server;
}
