/**
 * Local Linux users for daemon tests (sshd, vsftpd, samba authenticate against the
 * system's accounts). Idempotent: an existing user keeps its account and gets the
 * password again. Names start with `sktest_` so they are recognisable and harmless to
 * leave behind; `removeTestUser` deletes one with its home directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A user created for a test. */
export interface TestUser {
  readonly name: string;
  readonly password: string;
  readonly home: string;
}

/** Creates (or updates) `name` with `password`, a home directory and /bin/bash. */
export function ensureTestUser(name: string, password: string): TestUser {
  if (!/^sktest_[a-z0-9_]{1,20}$/.test(name)) throw new Error(`test user names must look like sktest_alice, got '${name}'`);
  const home = `/home/${name}`;
  if (!userExists(name)) {
    execFileSync('useradd', ['--create-home', '--home-dir', home, '--shell', '/bin/bash', name], { stdio: 'pipe' });
  } else if (!existsSync(home)) {
    execFileSync('mkhomedir_helper', [name], { stdio: 'pipe' });
  }
  // the password goes through stdin, never argv
  execFileSync('chpasswd', [], { input: `${name}:${password}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return { name, password, home };
}

/** Deletes a test user and its home directory; a missing user is fine. */
export function removeTestUser(name: string): void {
  if (!name.startsWith('sktest_') || !userExists(name)) return;
  execFileSync('userdel', ['--remove', name], { stdio: 'pipe' });
}

/** Whether a local account exists. */
export function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
