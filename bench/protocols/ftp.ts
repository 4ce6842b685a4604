/** ftp: login to vsftpd and download welcome.txt, with basic-ftp (the check's library). */
import { Writable } from 'node:stream';
import { Client } from 'basic-ftp';
import { VSFTPD, startVsftpd } from '../../test/daemons/support/vsftpd.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** The ftp side of the protocol benchmark. */
export const ftpBench: ProtocolBench = {
  type: 'ftp',
  steps: 'login, download a 31-byte file',
  checks: 200,
  requires: [VSFTPD],
  async start() {
    const d = await startVsftpd();
    return { target: { host: d.host, port: d.port, username: d.user.name, password: d.user.password, params: { file: 'welcome.txt' } }, stop: () => d.stop() };
  },
  async bare(t, signal) {
    const client = new Client(0);
    const onAbort = () => client.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.access({ host: t.host, port: t.port, user: t.username!, password: t.password! });
      const chunks: Buffer[] = [];
      await client.downloadTo(new Writable({ write: (c: Buffer, _e, cb) => (chunks.push(c), cb()) }), 'welcome.txt');
      return Buffer.concat(chunks).length > 0;
    } catch {
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.close();
    }
  },
};
