/**
 * Credential resolution, done by the team actor before it spawns a check: explicit
 * values, Team Specific Info keys, or one random entry of a Team Info Pool. A missing
 * value or an empty pool is a CredentialsError that fails that one check.
 */
import { CredentialsError } from './errors.js';
import type { Credentials, CredentialSource, TeamRef } from './types.js';

/** Team Specific Info and Team Info Pools, as in force for this round. */
export interface CredentialData {
  /** team number → key → value. */
  readonly teamInfo: Readonly<Record<number, Readonly<Record<string, string>>>>;
  /** pool → team number → entries. */
  readonly pools: Readonly<Record<string, Readonly<Record<number, readonly Credentials[]>>>>;
}

/** Resolves `source` for `team`; `random` picks pool entries (inject it in tests). */
export function resolveCredentials(
  source: CredentialSource,
  team: TeamRef,
  data: CredentialData,
  random: () => number = Math.random,
): Credentials {
  switch (source.from) {
    case 'explicit':
      return { username: source.username, password: source.password };
    case 'teamInfo': {
      const info = data.teamInfo[team.number];
      if (!info) throw new CredentialsError(`${team.name} has no Team Specific Info defined`);
      const password = info[source.passwordKey];
      if (password === undefined) {
        throw new CredentialsError(`${team.name} has no Team Specific Info '${source.passwordKey}'`);
      }
      let username = source.username;
      if (source.usernameKey !== undefined) {
        username = info[source.usernameKey];
        if (username === undefined) throw new CredentialsError(`${team.name} has no Team Specific Info '${source.usernameKey}'`);
      }
      if (username === undefined) throw new CredentialsError(`credentials from Team Specific Info need a username or usernameKey`);
      return { username, password };
    }
    case 'pool': {
      const pool = data.pools[source.pool];
      if (!pool) throw new CredentialsError(`Team Info Pool '${source.pool}' does not exist`);
      const entries = pool[team.number] ?? [];
      if (entries.length === 0) throw new CredentialsError(`Team Info Pool '${source.pool}' is empty for ${team.name}`);
      const entry = entries[Math.floor(random() * entries.length) % entries.length];
      if (!entry) throw new CredentialsError(`Team Info Pool '${source.pool}' is empty for ${team.name}`);
      return { username: entry.username, password: entry.password };
    }
  }
}
