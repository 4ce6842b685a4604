/** tcp: connect and close, with node:net (what the check uses). */
import { connect } from 'node:net';
import { startParentHttpServer } from '../lib/parent-http-server.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The tcp side of the protocol benchmark. */
export const tcpBench: ProtocolBench = {
  type: 'tcp',
  steps: 'connect, close',
  checks: 2000,
  requires: [],
  start: () => startParentHttpServer({}),
  bare: (t, signal) =>
    new Promise((resolve) => {
      const socket = connect({ host: t.host, port: t.port, signal });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    }),
};
