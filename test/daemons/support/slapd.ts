/**
 * A real OpenLDAP slapd on 127.0.0.1 for the ldap daemon tests and the protocol
 * benchmark: slapd.conf with the core/cosine/inetorgperson/nis schemas, back_mdb,
 * seeded with slapadd: dc=team1,dc=local with alice and bob under ou=people, both with
 * password LDAP_PASSWORD.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeDir, startDaemon, tempDir } from '../../support/daemon.js';

/** The slapd binary. */
export const SLAPD = '/usr/sbin/slapd';

/** alice's and bob's password. */
export const LDAP_PASSWORD = 'Ldap-pass-1';

/** A running slapd. */
export interface Slapd {
  readonly host: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts a seeded slapd on a free port. */
export async function startSlapd(): Promise<Slapd> {
  const host = '127.0.0.1';
  const dir = tempDir('slapd');
  const port = await freePort();
  mkdirSync(join(dir, 'db'));
  writeFileSync(join(dir, 'secret'), LDAP_PASSWORD, { mode: 0o600 }); // -T reads it from a file, not argv
  const hash = execFileSync('slappasswd', ['-T', join(dir, 'secret')]).toString().trim();
  writeFileSync(
    join(dir, 'slapd.conf'),
    [
      ...['core', 'cosine', 'inetorgperson', 'nis'].map((s) => `include /etc/ldap/schema/${s}.schema`),
      `pidfile ${join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'database mdb',
      'maxsize 10485760',
      'suffix "dc=team1,dc=local"',
      'rootdn "cn=admin,dc=team1,dc=local"',
      `rootpw ${hash}`,
      `directory ${join(dir, 'db')}`,
      'access to attrs=userPassword by anonymous auth by self write by * none',
      'access to * by users read by * none',
      '',
    ].join('\n'),
  );
  const person = (uid: string, cn: string, mail: string) =>
    `dn: uid=${uid},ou=people,dc=team1,dc=local\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${cn}\nsn: ${cn.split(' ')[1]}\nmail: ${mail}\nuserPassword: ${hash}\n`;
  writeFileSync(
    join(dir, 'seed.ldif'),
    [
      'dn: dc=team1,dc=local\nobjectClass: dcObject\nobjectClass: organization\ndc: team1\no: Team 1\n',
      'dn: ou=people,dc=team1,dc=local\nobjectClass: organizationalUnit\nou: people\n',
      person('alice', 'Alice Liddell', 'alice@team1.local'),
      person('bob', 'Bob Builder', 'bob@team1.local'),
    ].join('\n'),
  );
  execFileSync('slapadd', ['-f', join(dir, 'slapd.conf'), '-l', join(dir, 'seed.ldif')], { stdio: 'pipe' });
  const daemon = await startDaemon({ name: 'slapd', command: SLAPD, args: ['-d', '0', '-f', join(dir, 'slapd.conf'), '-h', `ldap://${host}:${port}/`], port });
  return {
    host,
    port,
    stop: async () => {
      await daemon.stop();
      removeDir(dir);
    },
  };
}
