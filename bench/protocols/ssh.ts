/** ssh: password login to OpenSSH sshd, with ssh2 (the library the check uses). */
import { Client } from 'ssh2';
import { SSHD, startSshd } from '../../test/daemons/support/sshd.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The ssh side of the protocol benchmark. */
export const sshBench: ProtocolBench = {
  type: 'ssh',
  steps: 'password login',
  checks: 200,
  requires: [SSHD],
  async start() {
    const sshd = await startSshd();
    return { target: { host: sshd.host, port: sshd.port, username: sshd.user.name, password: sshd.user.password, params: {} }, stop: () => sshd.stop() };
  },
  bare: (t, signal) =>
    new Promise((resolve) => {
      const client = new Client();
      const done = (ok: boolean) => {
        signal.removeEventListener('abort', abort);
        client.removeAllListeners();
        client.on('error', () => undefined);
        client.end();
        resolve(ok);
      };
      const abort = () => done(false);
      signal.addEventListener('abort', abort, { once: true });
      client.once('ready', () => done(true));
      client.once('error', () => done(false));
      client.once('close', () => done(false));
      client.connect({ host: t.host, port: t.port, username: t.username!, password: t.password!, hostVerifier: () => true, readyTimeout: 0 });
    }),
};
