/**
 * DATABASE_URL, checked before any connection: pg parses almost any string as a
 * connection string ("not a url" becomes host "base"), so a typo or a MySQL URL would
 * otherwise be retried as an unreachable server, or answered by a server that speaks
 * another protocol. A URL that is not a PostgreSQL URL is a configuration error.
 */
import { ConfigError } from '../errors.js';

/** Schemes pg understands as a PostgreSQL connection (`socket:` is a Unix socket folder). */
const POSTGRES_SCHEMES = new Set(['postgres:', 'postgresql:', 'socket:']);

/** Throws a ConfigError naming the problem unless `url` is a PostgreSQL URL. The password never appears in the message. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE`);
  }
  if (!POSTGRES_SCHEMES.has(parsed.protocol)) {
    throw new ConfigError(
      `DATABASE_URL must be a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE), not ${parsed.protocol}//…; scorekeeper stores its data in PostgreSQL only, or in the embedded database when DATABASE_URL is unset`,
    );
  }
  if (parsed.protocol !== 'socket:' && !parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError('DATABASE_URL names no host; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE');
  }
}
