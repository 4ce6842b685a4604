/**
 * A real OpenSSH sshd on 127.0.0.1 for the ssh daemon tests and the protocol benchmark:
 * its own sshd_config and host key, a local user who logs in with a password or with
 * the generated user key.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeDir, startDaemon, tempDir } from '../../support/daemon.js';
import { ensureTestUser, type TestUser } from './users.js';

/** The sshd binary (Debian's openssh-server). */
export const SSHD = '/usr/sbin/sshd';

/** A running sshd. */
export interface Sshd {
  readonly host: string;
  readonly port: number;
  readonly user: TestUser;
  /** OpenSSH private key whose public half is in the user's authorized_keys. */
  readonly privateKey: string;
  stop(): Promise<void>;
}

/** Starts sshd on a free port; `userName`/`password` is the account it lets in. */
export async function startSshd(userName = 'sktest_ssh', password = 'Ssh-pass-1'): Promise<Sshd> {
  const host = '127.0.0.1';
  const user = ensureTestUser(userName, password);
  const dir = tempDir('sshd');
  const port = await freePort();
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
  const privateKey = readFileSync(join(dir, 'user_key'), 'utf8');
  const uid = Number(execFileSync('id', ['-u', user.name]).toString());
  const gid = Number(execFileSync('id', ['-g', user.name]).toString());
  mkdirSync(join(user.home, '.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(join(user.home, '.ssh', 'authorized_keys'), readFileSync(join(dir, 'user_key.pub')), { mode: 0o600 });
  chownSync(join(user.home, '.ssh'), uid, gid);
  chownSync(join(user.home, '.ssh', 'authorized_keys'), uid, gid);
  writeFileSync(
    join(dir, 'sshd_config'),
    [
      `Port ${port}`,
      `ListenAddress ${host}`,
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM yes',
      `AllowUsers ${user.name}`,
      // the protocol benchmark logs in 50 at a time; the default 10:30:100 drops some
      'MaxStartups 200',
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  execFileSync(SSHD, ['-t', '-f', join(dir, 'sshd_config')]);
  const daemon = await startDaemon({ name: 'sshd', command: SSHD, args: ['-D', '-e', '-f', join(dir, 'sshd_config')], port });
  return {
    host,
    port,
    user,
    privateKey,
    stop: async () => {
      await daemon.stop();
      removeDir(dir);
    },
  };
}
