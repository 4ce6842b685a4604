/**
 * `remote-admin`: the documented multi-protocol remote administration check. It never
 * probes anything itself: `resolveMulti` names `ssh` (port 22) or `rdp` (port 3389), or
 * the protocol given in `params.protocol` for any other port, and the engine runs that
 * type on the same service (Linux teams get an SSH check, Windows teams an RDP one).
 */
import { z } from 'zod';
import { ServiceType } from '../service-type.js';
import type { Service } from '../types.js';
import { parseParams } from './support/params.js';
import { protocolByPort } from './support/protocol-by-port.js';

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
    return protocolByPort(service, parseParams(paramsSchema, service).protocol, REMOTE_ADMIN_PORTS);
  }
}
