/**
 * Which names the web server answers to. A page on another site can make a browser send
 * requests to this server under that site's own name (DNS rebinding: `evil.example`
 * resolved to 127.0.0.1); the Host header then names that site, so requests whose Host
 * is not on the list are refused. The same list decides which `Origin`s may POST.
 */
import { hostname, networkInterfaces } from 'node:os';

/** Whether `host` is a loopback address or name. */
export function isLoopbackHost(host: string): boolean {
  const h = bare(host);
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Whether `host` binds every address of the machine. */
export function isWildcardHost(host: string): boolean {
  const h = bare(host);
  return h === '0.0.0.0' || h === '::' || h === '';
}

/**
 * The names a server bound to `bindHost` answers to by default: the bound address and
 * `localhost` (with 127.0.0.1 and ::1 for a loopback bind); for a wildcard bind, every
 * address of the machine and its host name.
 */
export function defaultAllowedHosts(bindHost: string): string[] {
  const names = new Set<string>(['localhost']);
  if (isWildcardHost(bindHost)) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(i.address);
    names.add(hostname());
  } else {
    names.add(bare(bindHost));
  }
  if (isLoopbackHost(bindHost) || isWildcardHost(bindHost)) {
    names.add('127.0.0.1');
    names.add('::1');
  }
  return [...names].map((n) => n.toLowerCase());
}

/** The names a server answers to (see above). */
export class HostAllowlist {
  private readonly names: Set<string>;

  constructor(names: readonly string[]) {
    this.names = new Set(names.map((n) => bare(n).toLowerCase()));
  }

  /** Every allowed name, for messages. */
  get list(): readonly string[] {
    return [...this.names];
  }

  /** Whether a request's Host header (`name`, `name:port`, `[v6]:port`) names this server. */
  allowsHostHeader(header: string | undefined): boolean {
    if (!header) return false;
    const name = header.startsWith('[') ? header.slice(1, header.indexOf(']')) : header.replace(/:\d*$/, '');
    return this.names.has(name.toLowerCase());
  }

  /** Whether an `Origin` header (`https://name:port`) names this server. */
  allowsOrigin(origin: string): boolean {
    try {
      return this.names.has(bare(new URL(origin).hostname).toLowerCase());
    } catch {
      return false;
    }
  }
}

/** An address without IPv6 brackets. */
function bare(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
