/**
 * Who is asking: the admin, one team, or nobody. Tokens come from the competition file's
 * `tokens` section. The presented token is hashed (SHA-256) and compared with every
 * known token's hash by `crypto.timingSafeEqual`, all of them every time, so neither the
 * length nor the first differing byte of a token shows in the response time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Tokens } from '../config/tokens.js';

/** An authenticated caller. */
export type Principal = { readonly role: 'admin' } | { readonly role: 'team'; readonly team: number };

const hash = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Compares two tokens in constant time (hashes first, so lengths may differ). */
export function tokensEqual(a: string, b: string): boolean {
  return timingSafeEqual(hash(a), hash(b));
}

/** Token lookup for the web server. */
export class TokenAuth {
  private readonly known: ReadonlyArray<{ digest: Buffer; principal: Principal }>;

  constructor(tokens: Tokens) {
    const known: Array<{ digest: Buffer; principal: Principal }> = [];
    if (tokens.admin) known.push({ digest: hash(tokens.admin), principal: { role: 'admin' } });
    for (const [team, token] of Object.entries(tokens.teams)) known.push({ digest: hash(token), principal: { role: 'team', team: Number(team) } });
    this.known = known;
  }

  /** Whether any token is configured at all. */
  get configured(): boolean {
    return this.known.length > 0;
  }

  /** The principal of `token`, or undefined. */
  identify(token: string | undefined): Principal | undefined {
    if (!token) return undefined;
    const digest = hash(token);
    let found: Principal | undefined;
    for (const entry of this.known) {
      // No early exit: every entry is compared.
      if (timingSafeEqual(digest, entry.digest) && !found) found = entry.principal;
    }
    return found;
  }
}
