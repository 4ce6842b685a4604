/** imap: login to Dovecot and STATUS of INBOX, then LOGOUT, with imapflow (the check's library). */
import { ImapFlow } from 'imapflow';
import { BENCH_DOVECOT_CONF, startDovecot } from '../../test/daemons/support/dovecot.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** alice's password on the benchmark's Dovecot. */
const PASSWORD = 'Imap-pass-1';

/** The imap side of the protocol benchmark. */
export const imapBench: ProtocolBench = {
  type: 'imap',
  steps: 'login, STATUS INBOX, logout',
  checks: 200,
  requires: ['/usr/sbin/dovecot'],
  async start() {
    const d = await startDovecot({ protocol: 'imap', users: ['alice'], password: PASSWORD, messages: ['1700000001.M1P1.team1'], extraConf: BENCH_DOVECOT_CONF });
    const target = { host: '127.0.0.1', port: d.port, username: 'alice', password: PASSWORD, params: { mailbox: 'INBOX', minMessages: 1 } };
    // One session first: two sessions that open a fresh maildir at once race to build
    // Dovecot's index, and one of them may see an empty INBOX (seen in the smoke test).
    await imapBench.bare(target, new AbortController().signal);
    return { target, stop: () => d.stop() };
  },
  async bare(t, signal) {
    const client = new ImapFlow({ host: t.host, port: t.port, secure: false, auth: { user: t.username!, pass: t.password! }, logger: false, disableAutoIdle: true });
    client.on('error', () => undefined);
    const onAbort = () => client.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.connect();
      const status = await client.status('INBOX', { messages: true });
      await client.logout();
      return status !== false && (status.messages ?? 0) >= 1;
    } catch {
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
      client.close();
    }
  },
};
