/** pop3: USER, PASS, STAT, QUIT against Dovecot, with node-pop3 (the check's library). */
import Pop3Command from 'node-pop3';
import { BENCH_DOVECOT_CONF, startDovecot } from '../../test/daemons/support/dovecot.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

/** alice's password on the benchmark's Dovecot. */
const PASSWORD = 'Pop-pass-1';

/** The pop3 side of the protocol benchmark. */
export const pop3Bench: ProtocolBench = {
  type: 'pop3',
  steps: 'USER, PASS, STAT, QUIT',
  checks: 200,
  requires: ['/usr/sbin/dovecot'],
  async start() {
    const d = await startDovecot({ protocol: 'pop3', users: ['alice'], password: PASSWORD, messages: ['1700000001.M1P1.team1'], extraConf: BENCH_DOVECOT_CONF });
    const target = { host: '127.0.0.1', port: d.port, username: 'alice', password: PASSWORD, params: { minMessages: 1 } };
    // One session first, as for imap: concurrent first opens of a fresh maildir race.
    await pop3Bench.bare(target, new AbortController().signal);
    return { target, stop: () => d.stop() };
  },
  async bare(t, signal) {
    const pop = new Pop3Command({ host: t.host, port: t.port, user: t.username!, password: t.password! });
    pop.on('error', () => undefined);
    const onAbort = () => void pop.QUIT().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await pop.connect();
      await pop.command('USER', t.username!);
      await pop.command('PASS', t.password!);
      const [stat] = await pop.command('STAT');
      await pop.command('QUIT');
      return Number(stat.split(' ')[0]) >= 1;
    } catch {
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  },
};
