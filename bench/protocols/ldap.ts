/** ldap: simple bind to slapd and a subtree search, with ldapts (the check's library). */
import { Client } from 'ldapts';
import { LDAP_PASSWORD, SLAPD, startSlapd } from '../../test/daemons/support/slapd.js';
import type { ProtocolBench } from '../lib/protocol-bench.js';

const BASE = 'ou=people,dc=team1,dc=local';
const FILTER = '(objectClass=inetOrgPerson)';

/** The ldap side of the protocol benchmark. */
export const ldapBench: ProtocolBench = {
  type: 'ldap',
  steps: 'bind, search of 2 entries',
  checks: 400,
  requires: [SLAPD],
  async start() {
    const d = await startSlapd();
    return {
      target: { host: d.host, port: d.port, username: 'alice', password: LDAP_PASSWORD, params: { bindDn: 'uid={username},ou=people,dc=team1,dc=local', base: BASE, filter: FILTER, expect: { count: 2 } } },
      stop: () => d.stop(),
    };
  },
  async bare(t, signal) {
    const client = new Client({ url: `ldap://${t.host}:${t.port}`, timeout: 10_000, connectTimeout: 10_000 });
    const onAbort = () => void client.unbind().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await client.bind(`uid=${t.username},${BASE}`, t.password);
      const { searchEntries } = await client.search(BASE, { filter: FILTER, scope: 'sub' });
      return searchEntries.length === 2;
    } catch {
      return false;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await client.unbind().catch(() => undefined);
    }
  },
};
