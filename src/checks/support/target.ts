/** How a check names what it talks to in its messages: `10.7.1.20:22`. */
import type { Service } from '../../types.js';

/** The service's port, or the protocol default. */
export function portOf(service: Service, defaultPort: number): number {
  return service.port ?? defaultPort;
}

/** `host:port` for messages (IPv6 hosts in brackets). */
export function targetOf(service: Service, defaultPort: number): string {
  const host = service.host.includes(':') ? `[${service.host}]` : service.host;
  return `${host}:${portOf(service, defaultPort)}`;
}
