/**
 * Multi-protocol types that pick the real type from the service's port (`database`,
 * `remote-admin`): `params.protocol` wins, then the well-known port, else a config error
 * that says how to fix it.
 */
import { ConfigError } from '../../errors.js';
import type { Service } from '../../types.js';

/** The protocol for `service`: `protocol` if given, else the one `ports` lists for its port. */
export function protocolByPort<P extends string>(service: Service, protocol: P | undefined, ports: Readonly<Record<number, P>>): P {
  if (protocol) return protocol;
  const byPort = service.port === undefined ? undefined : ports[service.port];
  if (byPort) return byPort;
  const known = Object.entries<P>(ports);
  const names = known.map(([, name]) => name);
  const why = service.port === undefined ? 'no port is set' : `port ${service.port} is neither ${known.map(([port, name]) => `${port} (${name})`).join(' nor ')}`;
  throw new ConfigError(`${service.id}: cannot tell ${names.join(' from ')}: ${why}; set params.protocol to ${names.map((n) => `'${n}'`).join(' or ')}`);
}
