/**
 * Where a competition file keeps secrets: passwords in credentials and pools, Team
 * Specific Info values, web tokens, and the params a check type names in
 * `secretParams` (in a service's params and in a team's override of them). Values there
 * are never shown in an error line.
 */
import type { SecretPathTest } from './zod-issues.js';
import { valueAt } from './zod-issues.js';

/** Fields of credentials that name where a secret is, rather than hold one. */
const NOT_SECRET_CREDENTIAL_FIELDS = new Set(['username', 'usernameKey', 'passwordKey', 'pool']);

/** Secret param names of a service: the one at that index of `services`, or of that name. */
export type SecretParamsByService = (service: number | string) => readonly string[];

/** Whether a path from the document root holds a secret (or a container of them). */
export function secretPathTest(secretParams: SecretParamsByService): SecretPathTest {
  return (path) => {
    const [section, a, b, c] = path;
    switch (section) {
      case 'tokens':
      case 'teamInfo':
        return path.length >= 2;
      case 'pools':
        // pools.<pool>.<team>[i].password (or a misspelt key beside it), or anything
        // above it that is not what it should be
        return path.length >= 2 && path[4] !== 'username';
      case 'services':
        // credentials.password, a misspelt key beside it, or credentials of no known form
        if (b === 'credentials') return path.length === 3 || !NOT_SECRET_CREDENTIAL_FIELDS.has(String(c));
        return b === 'params' && typeof a === 'number' && typeof c === 'string' && secretParams(a).includes(c);
      case 'teams': {
        // teams[i].overrides.<service>.params.<secret param>, or credentials (refused there, but may hold a password)
        const [, , , service, field, key] = path;
        if (b !== 'overrides' || typeof service !== 'string') return false;
        if (field === 'credentials') return path.length >= 5;
        return field === 'params' && typeof key === 'string' && secretParams(service).includes(key);
      }
      default:
        return false;
    }
  };
}

/** Largest number of secret strings collected (a hostile file could hold millions). */
const MAX_SECRETS = 10_000;

/**
 * Every string found at a secret path of `root` (walked at most a few levels deep),
 * for the last-resort redaction of error lines.
 */
export function collectSecrets(root: unknown, secretParams: SecretParamsByService): string[] {
  const found: string[] = [];
  const isSecret = secretPathTest(secretParams);
  const walk = (value: unknown, path: PropertyKey[], depth: number): void => {
    if (found.length >= MAX_SECRETS || depth > 8) return;
    if (typeof value === 'string') {
      if (isSecret(path)) found.push(value);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
    for (const [key, child] of entries) {
      if (found.length >= MAX_SECRETS) return;
      walk(child, [...path, key], depth + 1);
    }
  };
  for (const section of ['tokens', 'teamInfo', 'pools', 'services', 'teams'] as const) {
    walk(valueAt(root, [section]), [section], 1);
  }
  return found;
}
