/**
 * Logging with pino. Check log lines follow the documented IScorE form, actor name first:
 *   team-7/ssh: FAIL Team7 : SSH login to 10.7.1.20
 * with structured fields (scan, team, service, type, action, ok). Passwords and secret
 * params never reach a line: pino redacts known fields, and the text a check writes is
 * scrubbed of the service's secret values before it is logged.
 */
import { pino, type Logger } from 'pino';
import { formatCheckLine } from './check-log-line.js';
import type { CheckLogSink } from './check-session.js';
import type { Service } from './types.js';

/** Field paths pino censors wherever they appear in a log object. */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'token',
  '*.token',
  'tokens',
  '*.tokens',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
];

/** The text a redacted secret is replaced with. */
export const REDACTED = '[redacted]';

/** A pino logger with scorekeeper's redaction; writes to `destination` (default stderr). */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream | number } = {}): Logger {
  const destination = options.destination ?? 2;
  return pino(
    { level: options.level ?? 'info', redact: { paths: REDACT_PATHS, censor: REDACTED }, base: undefined },
    typeof destination === 'number' ? pino.destination({ fd: destination, sync: false }) : destination,
  );
}

/** A logger that drops everything (the library default). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/**
 * Replaces every occurrence of each secret (3+ characters) in `text`, also URL-encoded
 * (a hostile server can echo a password back in a redirect's Location).
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 3) continue;
    for (const form of new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])) {
      if (out.includes(form)) out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** The secret values of one service: its password and its secret params. */
export function secretsOf(service: Service, secretParams: readonly string[]): string[] {
  const secrets: string[] = [];
  if (service.password) secrets.push(service.password);
  // What HTTP basic authentication sends: echoed back, it would reveal the password.
  if (service.password && service.username !== undefined) secrets.push(Buffer.from(`${service.username}:${service.password}`).toString('base64'));
  for (const name of secretParams) {
    const value = service.params[name];
    if (typeof value === 'string') secrets.push(value);
  }
  return secrets;
}

/** The sink behind `ServiceType.log` for one scan. */
export function checkLogSink(logger: Logger, scanId: string, secretParamsOf: (service: Service) => readonly string[]): CheckLogSink {
  return (service, line) => {
    // A line nobody writes (a silent or warn-level logger) is not formatted or scrubbed.
    if (!logger.isLevelEnabled('info')) return;
    const secrets = secretsOf(service, secretParamsOf(service));
    const clean = { ...line, action: scrubSecrets(line.action, secrets) };
    const fields = { scan: scanId, team: service.team.number, service: service.name, type: service.type, protocol: clean.protocol, action: clean.action, host: clean.host, ok: clean.ok };
    logger.info(line.reason ? { ...fields, reason: scrubSecrets(line.reason, secrets) } : fields, formatCheckLine(service, clean));
  };
}
