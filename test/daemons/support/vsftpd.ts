/**
 * A real vsftpd on 127.0.0.1 for the ftp daemon tests and the protocol benchmark: its
 * own vsftpd.conf (local users, passive ports on 127.0.0.1) and a local user whose home
 * holds welcome.txt.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, removeDir, startDaemon, tempDir } from '../../support/daemon.js';
import { ensureTestUser, type TestUser } from './users.js';

/** The vsftpd binary. */
export const VSFTPD = '/usr/sbin/vsftpd';

/** What welcome.txt in the user's home holds. */
export const FTP_WELCOME = 'Welcome to the team FTP server\n';

/** A running vsftpd. */
export interface Vsftpd {
  readonly host: string;
  readonly port: number;
  readonly user: TestUser;
  stop(): Promise<void>;
}

/** Starts vsftpd on a free port, letting in the local user sktest_ftp. */
export async function startVsftpd(): Promise<Vsftpd> {
  const host = '127.0.0.1';
  const user = ensureTestUser('sktest_ftp', 'Ftp-pass-1');
  writeFileSync(join(user.home, 'welcome.txt'), FTP_WELCOME);
  const dir = tempDir('vsftpd');
  mkdirSync(join(dir, 'empty'), { mode: 0o755 });
  const port = await freePort();
  const pasv = await freePort();
  writeFileSync(
    join(dir, 'vsftpd.conf'),
    [
      'listen=YES',
      'listen_ipv6=NO',
      `listen_address=${host}`,
      `listen_port=${port}`,
      'background=NO',
      'anonymous_enable=NO',
      'local_enable=YES',
      'write_enable=YES',
      'pam_service_name=vsftpd',
      `secure_chroot_dir=${join(dir, 'empty')}`,
      'pasv_enable=YES',
      `pasv_min_port=${pasv}`,
      `pasv_max_port=${pasv + 200}`, // a data port per download: 50 at a time in the benchmark
      `pasv_address=${host}`,
      'seccomp_sandbox=NO',
      `vsftpd_log_file=${join(dir, 'vsftpd.log')}`,
      'xferlog_enable=YES',
      // the protocol benchmark logs in 50 at a time
      'max_per_ip=200',
      'max_clients=200',
      '',
    ].join('\n'),
  );
  const daemon = await startDaemon({ name: 'vsftpd', command: VSFTPD, args: [join(dir, 'vsftpd.conf')], port });
  return {
    host,
    port,
    user,
    stop: async () => {
      await daemon.stop();
      removeDir(dir);
    },
  };
}
