/**
 * `remote-admin`: the documented multi-protocol remote administration check. It never
 * probes anything itself: `resolveMulti` names `ssh` (port 22) or `rdp` (port 3389), or
 * the protocol given in `params.protocol` for any other port, and the engine runs that
 * type on the same service (Linux teams get an SSH check, Windows teams an RDP one).
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { ServiceType } from '../service-type.js';
import type { Service } from '../types.js';
import { parseParams } from './support/params.js';

/** Ports whose protocol `remote-admin` knows without being told. */
export const REMOTE_ADMIN_PORTS: Readonly<Record<number, 'ssh' | 'rdp'>> = { 22: 'ssh', 3389: 'rdp' };

// Loose: every other param belongs to the type the service resolves to.
const paramsSchema = z.looseObject({ protocol: z.enum(['ssh', 'rdp']).optional() });

/** Multi-protocol remote administration: resolves to ssh or rdp by port or params.protocol. */
export class RemoteAdminCheck extends ServiceType {
  readonly shortName = 'remote-admin';
  override readonly kind = 'multi';
  override readonly description = 'Remote administration by port: 22 runs ssh, 3389 runs rdp; params.protocol for other ports';
  override readonly paramsSchema = paramsSchema;
  override readonly resolutionParams = ['protocol'];

  override resolveMulti(service: Service): string {
    const { protocol } = parseParams(paramsSchema, service);
    if (protocol) return protocol;
    const byPort = service.port === undefined ? undefined : REMOTE_ADMIN_PORTS[service.port];
    if (byPort) return byPort;
    const port = service.port === undefined ? 'no port is set' : `port ${service.port} is neither 22 (ssh) nor 3389 (rdp)`;
    throw new ConfigError(`${service.id}: cannot tell ssh from rdp: ${port}; set params.protocol to 'ssh' or 'rdp'`);
  }
}
