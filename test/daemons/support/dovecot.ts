/**
 * A real Dovecot on 127.0.0.1 for the imap and pop3 daemon tests: its own dovecot.conf,
 * passwd-file users, and alice's maildir seeded with messages (named by `messages`, which
 * are also their POP3 UIDLs) and any extra folders.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeDir, startDaemon, tempDir, type Daemon } from '../../support/daemon.js';
import { ensureTestUser } from './users.js';

/** What to serve. */
export interface DovecotOptions {
  readonly protocol: 'imap' | 'pop3';
  /** Users, all with `password`; alice's INBOX holds `messages`. */
  readonly users: readonly string[];
  readonly password: string;
  readonly messages: readonly string[];
  /** Extra (empty) maildir folders of alice, e.g. `Sent`. */
  readonly folders?: readonly string[];
  /** Lines added to dovecot.conf. */
  readonly extraConf?: string;
}

/** A running Dovecot. */
export interface Dovecot {
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts Dovecot serving `options.protocol` on a free port. */
export async function startDovecot(options: DovecotOptions): Promise<Dovecot> {
  // the static userdb needs a non-root uid that owns the maildirs
  const owner = ensureTestUser('sktest_mail', 'Unused-pass-1');
  const uid = Number(execFileSync('id', ['-u', owner.name]).toString());
  const gid = Number(execFileSync('id', ['-g', owner.name]).toString());
  const dir = tempDir(`dovecot-${options.protocol}`);
  const port = await freePort();
  const maildir = join(dir, 'home', 'alice', 'Maildir');
  const folders = (options.folders ?? []).flatMap((f) => [`.${f}/cur`, `.${f}/new`, `.${f}/tmp`]);
  for (const sub of ['cur', 'new', 'tmp', ...folders]) mkdirSync(join(maildir, sub), { recursive: true });
  for (const [i, name] of options.messages.entries()) {
    writeFileSync(join(maildir, 'cur', `${name}:2,S`), `From: a@team1.local\r\nSubject: message ${i + 1}\r\n\r\nHello ${i + 1}\r\n`);
  }
  execFileSync('chown', ['-R', `${uid}:${gid}`, join(dir, 'home')]);
  chmodSync(dir, 0o755); // dovecot's auth process (user dovecot) reads the users file
  writeFileSync(join(dir, 'users'), options.users.map((u) => `${u}:{PLAIN}${options.password}::::::\n`).join(''));
  writeFileSync(join(dir, 'dovecot.conf'), dovecotConf(dir, port, uid, gid, options));
  let daemon: Daemon;
  try {
    daemon = await startDaemon({ name: 'dovecot', command: '/usr/sbin/dovecot', args: ['-F', '-c', join(dir, 'dovecot.conf')], port });
  } catch (err) {
    removeDir(dir);
    throw err;
  }
  return {
    port,
    async stop() {
      await daemon.stop();
      removeDir(dir);
    },
  };
}

function dovecotConf(dir: string, port: number, uid: number, gid: number, { protocol, extraConf }: DovecotOptions): string {
  return `
protocols = ${protocol}
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = dovenull
default_internal_user = dovecot
mail_location = maildir:~/Maildir
${extraConf ?? ''}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/users
}
userdb {
  driver = static
  args = uid=${uid} gid=${gid} home=${dir}/home/%u
}
service ${protocol}-login {
  inet_listener ${protocol} {
    port = ${port}
  }
  inet_listener ${protocol}s {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

/** dovecot.conf lines for the protocol benchmark: 50 logins at a time as one user from one address. */
export const BENCH_DOVECOT_CONF = 'mail_max_userip_connections = 200';
