/**
 * The session cookie that carries a token once a `?token=` link was opened: HttpOnly
 * (page scripts never see it), SameSite=Strict (no other site's request carries it),
 * Path=/. Served over TLS it is `__Host-sk_token` and Secure: the prefix makes browsers
 * refuse it unless it is Secure, host-only and on Path=/, so a sibling host or a plain
 * HTTP page cannot plant or overwrite it.
 */

/** Name of the session cookie over plain HTTP. */
export const TOKEN_COOKIE = 'sk_token';

/** Name of the session cookie over TLS. */
export const SECURE_TOKEN_COOKIE = '__Host-sk_token';

/** Options of the session cookie. */
export interface SessionCookieOptions {
  /** The page is served over TLS (directly or behind a TLS-terminating proxy). */
  readonly secure: boolean;
}

/** The session cookie's name for these options. */
export function tokenCookieName(options: SessionCookieOptions): string {
  return options.secure ? SECURE_TOKEN_COOKIE : TOKEN_COOKIE;
}

/** The Set-Cookie value that stores `token` as the session. */
export function sessionCookie(token: string, options: SessionCookieOptions): string {
  return `${tokenCookieName(options)}=${encodeURIComponent(token)}; ${options.secure ? 'Secure; ' : ''}HttpOnly; SameSite=Strict; Path=/`;
}
