/**
 * The standard check log line, one shape for built-in and plugin checks (IScorE's
 * `self.log(service, "login", False)`):
 *
 *   <thread>: <Success|FAIL> <team name> : <PROTOCOL> <action> to <host>[:<port>]
 *
 * e.g. `team-7/ssh: FAIL Team7 : SSH login to 10.7.1.20`. PROTOCOL is the type's display
 * name (one word), host is the service's host, with `:port` when the service sets a port
 * other than the type's `defaultPort`. `CHECK_LINE_PATTERN` parses it back.
 */
import type { Service } from './types.js';

/** What one `log(service, action, ok)` call says, before it is formatted. */
export interface CheckLogLine {
  /** The type's display name ("SSH"). */
  readonly protocol: string;
  /** What the check did ("login", "GET /index.html"), scrubbed of secrets when logged. */
  readonly action: string;
  /** The service's host, with `:port` when not the type's default. */
  readonly host: string;
  readonly ok: boolean;
  /**
   * Why a failed check failed (what it reports as its error): a field of the log line,
   * shown after it on a terminal; not part of the IScorE line itself.
   */
  readonly reason?: string | null;
}

/**
 * Parses a standard line: groups thread, outcome (`Success`/`FAIL`), team, protocol,
 * action, host. The host is the last word after the last ` to `, so an action may
 * itself contain ` to `.
 */
export const CHECK_LINE_PATTERN = /^(?<thread>\S+): (?<outcome>Success|FAIL) (?<team>.+?) : (?<protocol>\S+) (?<action>.*) to (?<host>\S+)$/;

/** `10.7.1.20`, or `10.7.1.20:2222` when the service's port is set and not `defaultPort` (IPv6 in brackets then). */
export function hostLabel(service: Pick<Service, 'host' | 'port'>, defaultPort: number | undefined): string {
  if (service.port === undefined || service.port === defaultPort) return service.host;
  const host = service.host.includes(':') ? `[${service.host}]` : service.host;
  return `${host}:${service.port}`;
}

/** The standard line of `line` for `service` (thread = the check's actor name, `team-7/ssh`). */
export function formatCheckLine(service: Pick<Service, 'id' | 'team'>, line: CheckLogLine): string {
  return `${service.id}: ${line.ok ? 'Success' : 'FAIL'} ${service.team.name} : ${line.protocol} ${line.action} to ${line.host}`;
}
