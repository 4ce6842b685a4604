/**
 * `database`: the documented multi-protocol database check. It never probes anything
 * itself: `resolveMulti` names `mysql` (port 3306) or `postgresql` (port 5432), or the
 * protocol given in `params.protocol` for any other port, and the engine runs that type
 * on the same service.
 */
import { z } from 'zod';
import { ServiceType } from '../service-type.js';
import type { Service } from '../types.js';
import { parseParams } from './support/params.js';
import { protocolByPort } from './support/protocol-by-port.js';

/** Ports whose protocol `database` knows without being told. */
export const DATABASE_PORTS: Readonly<Record<number, 'mysql' | 'postgresql'>> = { 3306: 'mysql', 5432: 'postgresql' };

const protocolSchema = z.enum(['mysql', 'postgresql']);
// Loose: every other param belongs to the type the service resolves to.
const paramsSchema = z.looseObject({ protocol: protocolSchema.optional() });

/** Multi-protocol database check: resolves to mysql or postgresql by port or params.protocol. */
export class DatabaseCheck extends ServiceType {
  readonly shortName = 'database';
  override readonly kind = 'multi';
  override readonly description = 'Database by port: 3306 runs mysql, 5432 runs postgresql; params.protocol for other ports';
  override readonly paramsSchema = paramsSchema;
  override readonly resolutionParams = ['protocol'];

  override resolveMulti(service: Service): string {
    return protocolByPort(service, parseParams(paramsSchema, service).protocol, DATABASE_PORTS);
  }
}
