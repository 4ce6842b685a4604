/**
 * The built-in checks, registered under their short names by `registerBuiltinChecks`
 * (createEngine does this for the default registry).
 */
import { BUILTIN_CHECKS_MODULE, type ServiceRegistry } from '../registry.js';
import type { ServiceTypeClass } from '../service-type.js';
import { DatabaseCheck } from './database.js';
import { DnsCheck } from './dns.js';
import { ExternalCheck } from './external.js';
import { FtpCheck } from './ftp.js';
import { HttpCheck } from './http.js';
import { HttpsCheck } from './http.js';
import { IcmpCheck } from './icmp.js';
import { ImapCheck } from './imap.js';
import { LdapCheck } from './ldap.js';
import { MysqlCheck } from './mysql.js';
import { NtpCheck } from './ntp.js';
import { Pop3Check } from './pop3.js';
import { PostgresqlCheck } from './postgresql.js';
import { RdpCheck } from './rdp.js';
import { RedisCheck } from './redis.js';
import { RemoteAdminCheck } from './remote-admin.js';
import { SmtpCheck } from './smtp.js';
import { SmbCheck } from './smb.js';
import { SshCheck } from './ssh.js';
import { TcpCheck } from './tcp.js';
import { TelnetCheck } from './telnet.js';
import { VncCheck } from './vnc.js';

/** Every built-in ServiceType class. */
export const builtinCheckTypes: readonly ServiceTypeClass[] = [
  DatabaseCheck,
  DnsCheck,
  ExternalCheck,
  FtpCheck,
  HttpCheck,
  HttpsCheck,
  IcmpCheck,
  ImapCheck,
  LdapCheck,
  MysqlCheck,
  NtpCheck,
  Pop3Check,
  PostgresqlCheck,
  RdpCheck,
  RedisCheck,
  RemoteAdminCheck,
  SmtpCheck,
  SmbCheck,
  SshCheck,
  TcpCheck,
  TelnetCheck,
  VncCheck,
];

const done = new WeakSet<ServiceRegistry>();

/** Registers the built-in checks in `registry` once (origin "built-in"). */
export function registerBuiltinChecks(registry: ServiceRegistry): void {
  if (done.has(registry)) return;
  done.add(registry);
  const previous = registry.currentOrigin;
  const previousModule = registry.currentModule;
  registry.currentOrigin = 'built-in';
  registry.currentModule = BUILTIN_CHECKS_MODULE;
  try {
    for (const cls of builtinCheckTypes) registry.register(cls);
  } finally {
    registry.currentOrigin = previous;
    registry.currentModule = previousModule;
  }
}
