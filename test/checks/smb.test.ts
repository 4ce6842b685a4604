// The real protocol is tested against Samba in test/daemons/smb.test.ts. Here: params,
// the listing parser, how smbclient is invoked (a stand-in binary records its argv and
// authentication file), and, where smbclient is installed, refusal, silence and abort.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SmbCheck } from '../../src/checks/smb.js';
import { parseListing, probeSmb } from '../../src/probes/smb.js';
import { startProbeDeadline } from '../../src/probes/tcp-deadline.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, tempDir } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

const creds = { username: 'alice', password: 'smb-Secret' };
const hasSmbclient = (() => {
  try {
    execFileSync('smbclient', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe('smb check', () => {
  let silent: Server;
  let silentPort: number;
  let dir: string;
  beforeAll(async () => {
    dir = tempDir('smb-check');
    silent = createServer((s) => s.on('error', () => undefined).resume()); // reads, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(() => {
    silent.close();
    removeDir(dir);
  });

  test('the password reaches smbclient only through the -A file, which is removed afterwards', async () => {
    const record = join(dir, 'argv');
    const fake = join(dir, 'smbclient');
    // a stand-in for the binary: records argv and the auth file, then fails like a bad login
    writeFileSync(fake, `#!/bin/sh\nprintf '%s\\n' "$@" > ${record}\nwhile [ "$1" != "-A" ]; do shift; done\ncp "$2" ${record}.auth\necho 'session setup failed: NT_STATUS_LOGON_FAILURE'\nexit 1\n`);
    chmodSync(fake, 0o755);
    const deadline = startProbeDeadline({ signal: new AbortController().signal, deadline: Date.now() + 5000 });
    const r = await probeSmb({ host: '127.0.0.1', port: 445, target: '127.0.0.1:445', share: 'files', ...creds, domain: 'TEAM1', action: { kind: 'get', file: 'a b.txt' }, deadline, binary: fake });
    deadline.dispose();
    expect(r).toEqual({ ok: false, error: 'connected to 127.0.0.1:445; login as alice rejected (NT_STATUS_LOGON_FAILURE)' });
    const argv = readFileSync(record, 'utf8').split('\n');
    expect(argv.join(' ')).not.toContain(creds.password);
    expect(argv.slice(0, 3)).toEqual(['//127.0.0.1/files', '-p', '445']);
    expect(argv).toContain('get "a b.txt" -');
    expect(readFileSync(`${record}.auth`, 'utf8')).toBe('username = alice\npassword = smb-Secret\ndomain = TEAM1\n');
    const authPath = argv[argv.indexOf('-A') + 1] ?? '';
    expect(authPath).toMatch(/sk-smb-/);
    expect(existsSync(authPath)).toBe(false);
  });

  test('a missing smbclient is named', async () => {
    const deadline = startProbeDeadline({ signal: new AbortController().signal, deadline: Date.now() + 5000 });
    const r = await probeSmb({ host: '127.0.0.1', port: 445, target: '127.0.0.1:445', share: 'files', ...creds, action: { kind: 'ls', dir: '' }, deadline, binary: join(dir, 'no-such-smbclient') });
    deadline.dispose();
    expect(r).toEqual({ ok: false, error: 'cannot check 127.0.0.1:445: smbclient is not installed on the scoring host' });
  });

  test('listing lines become names', () => {
    const listing = [
      '  .                                   D        0  Fri Nov 27 19:57:26 2026',
      '  ..                                  D        0  Fri Nov 27 19:57:49 2026',
      '  welcome.txt                         N       16  Fri Nov 27 19:57:26 2026',
      '  My Documents                        D        0  Mon Jan  5 09:01:02 2026',
      '',
      '\t\t264212084 blocks of size 1024. 81954620 blocks available',
    ].join('\n');
    expect(parseListing(listing)).toEqual(['welcome.txt', 'My Documents']);
  });

  test('params are validated', async () => {
    const r = await runCheck(new SmbCheck(), { host: '127.0.0.1', ...creds, params: { share: 'files', file: 'x"; rm' } });
    expect(r.error).toContain('params.file: must not contain ", ; or line breaks');
    const r2 = await runCheck(new SmbCheck(), { host: '127.0.0.1', ...creds, params: { share: '//h/files' } });
    expect(r2.error).toContain('params.share:');
    const r3 = await runCheck(new SmbCheck(), { host: '127.0.0.1', ...creds, params: { share: 'files', expect: { contains: 'x' } } });
    expect(r3.error).toContain('params.expect: expect needs a file');
  });

  test.skipIf(!hasSmbclient)('nothing listening', async () => {
    const port = await freePort();
    const r = await runCheck(new SmbCheck(), { host: '127.0.0.1', port, ...creds, params: { share: 'files' } });
    expect(r.error).toBe(`connection refused by 127.0.0.1:${port}`);
    expect(r.logs).toEqual([`team-1/smb: FAIL Team1 : SMB share 'files' as alice: listing of '\\' to 127.0.0.1:${port}`]);
  });

  test.skipIf(!hasSmbclient)('a server that never answers: smbclient is killed before the deadline', async () => {
    const before = activeResources();
    const r = await runCheck(new SmbCheck(), { host: '127.0.0.1', port: silentPort, ...creds, params: { share: 'files' } }, { timeoutMs: 1000 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^no SMB answer from 127\\.0\\.0\\.1:${silentPort} for share 'files' within 0\\.\\d+ s$`));
    await expectNoLeakedResources(before);
  });

  test.skipIf(!hasSmbclient)('an abort mid-probe kills smbclient', async () => {
    const before = activeResources();
    const controller = new AbortController();
    silent.once('connection', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new SmbCheck(), { host: '127.0.0.1', port: silentPort, ...creds, params: { share: 'files' } }, { signal: controller.signal });
    expect(r.score).toBe(0);
    await expectNoLeakedResources(before);
  });
});
