/** Every check type of the protocol benchmark, in the order the table lists them. */
import type { ProtocolBench } from '../lib/protocol-bench.js';
import { dnsBench } from './dns.js';
import { ftpBench } from './ftp.js';
import { httpBench } from './http.js';
import { imapBench } from './imap.js';
import { ldapBench } from './ldap.js';
import { mysqlBench } from './mysql.js';
import { pop3Bench } from './pop3.js';
import { postgresqlBench } from './postgresql.js';
import { redisBench } from './redis.js';
import { sshBench } from './ssh.js';
import { tcpBench } from './tcp.js';

/** The protocol benchmarks. */
export const PROTOCOL_BENCHES: readonly ProtocolBench[] = [sshBench, ftpBench, imapBench, pop3Bench, ldapBench, mysqlBench, postgresqlBench, redisBench, dnsBench, httpBench, tcpBench];

/** The benchmark of check type `type`; throws on an unknown one. */
export function protocolBench(type: string): ProtocolBench {
  const bench = PROTOCOL_BENCHES.find((b) => b.type === type);
  if (!bench) throw new Error(`no protocol benchmark for type '${type}' (known: ${PROTOCOL_BENCHES.map((b) => b.type).join(', ')})`);
  return bench;
}
