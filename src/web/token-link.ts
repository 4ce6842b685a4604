/**
 * Whether a `?token=` link may become the session. A link is something another team can
 * send, so it is taken only when both hold:
 *
 * - the browser says the navigation did not come from another site: `Sec-Fetch-Site` is
 *   `none` (typed, bookmarked, or opened from another program) or `same-origin`, or is
 *   absent (a browser too old to send it, or a script). `cross-site` and `same-site` (a
 *   page on another port or subdomain of this host) are refused;
 * - it does not replace a valid session of someone else. A link opened from a chat or
 *   mail program arrives as `none`, so this is the rule that stops team 2 from putting
 *   team 1 into team 2's session. Switching on purpose means clearing the cookie first.
 *
 * A link refused is still taken out of the address; the redirect says why with
 * `token_ignored=<reason>`, which the pages show.
 */
import type { Principal } from './token-auth.js';

/** Why a `?token=` was not made the session. */
export type TokenIgnoredReason = 'cross-site' | 'other-session' | 'invalid';

/** The facts a decision needs. */
export interface TokenLinkRequest {
  /** The `Sec-Fetch-Site` request header, if sent. */
  readonly fetchSite: string | undefined;
  /** Whose token the link carries (undefined: not a valid token). */
  readonly offered: Principal | undefined;
  /** Whose session the request's cookie holds now (undefined: none, or not valid). */
  readonly current: Principal | undefined;
}

/** The session to set, or why the link is ignored. */
export type TokenLinkDecision = { readonly accept: true; readonly principal: Principal } | { readonly accept: false; readonly reason: TokenIgnoredReason };

/** Sec-Fetch-Site values of a navigation that started on this origin or outside any site. */
const TRUSTED_SITES = new Set(['none', 'same-origin']);

/** See the module comment. */
export function decideTokenLink(request: TokenLinkRequest): TokenLinkDecision {
  const { fetchSite, offered, current } = request;
  if (fetchSite !== undefined && !TRUSTED_SITES.has(fetchSite.trim().toLowerCase())) return { accept: false, reason: 'cross-site' };
  if (!offered) return { accept: false, reason: 'invalid' };
  if (current && !samePrincipal(current, offered)) return { accept: false, reason: 'other-session' };
  return { accept: true, principal: offered };
}

/** Whether two principals are the same admin or the same team. */
export function samePrincipal(a: Principal, b: Principal): boolean {
  if (a.role === 'admin' || b.role === 'admin') return a.role === b.role;
  return a.team === b.team;
}
