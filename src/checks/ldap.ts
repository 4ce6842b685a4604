/** The built-in `ldap` check. */
import { z } from 'zod';
import { probeLdap } from '../probes/ldap.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Credentials, Service } from '../types.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Active Directory domain: a username without '@' binds as `username@domain`. */
    domain: z.string().min(1).optional(),
    /** Bind DN template, `{username}` replaced (escaped), e.g. `uid={username},ou=people,dc=team1,dc=local`. */
    bindDn: z.string().includes('{username}', { message: 'must contain {username}' }).optional(),
    /** Transport: plain, implicit TLS (port 636) or StartTLS. Certificates are not verified. Default ldap. */
    security: z.enum(['ldap', 'ldaps', 'starttls']).default('ldap'),
    /** Search base; no search without it. */
    base: z.string().min(1).optional(),
    /** Search filter (RFC 4515). Default (objectClass=*). */
    filter: z.string().min(1).default('(objectClass=*)'),
    /** Search scope. Default sub. */
    scope: z.enum(['base', 'one', 'sub']).default('sub'),
    /** What the search must return. */
    expect: z
      .object({
        /** Exactly this many entries. */
        count: z.number().int().min(0).optional(),
        /** At least this many entries. */
        minCount: z.number().int().min(0).optional(),
        /** Attribute values that one returned entry must hold, all of them. */
        attributes: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((p) => !(p.domain && p.bindDn), { message: 'use domain or bindDn, not both', path: ['bindDn'] })
  .refine((p) => !p.expect || p.base, { message: 'expect needs a search base', path: ['expect'] });

type LdapParams = z.infer<typeof paramsSchema>;

/**
 * LDAP: a simple bind, then optionally a search whose entry count or attribute values
 * are checked. The bind name follows IScorE's documented mutation: with `params.domain`
 * a plain username becomes `username@domain` (Active Directory); with `params.bindDn`
 * it is placed into a DN template. Both happen in `getCredentials`.
 */
export class LdapCheck extends ServiceType {
  readonly shortName = 'ldap';
  override readonly defaultPort = 389;
  override readonly description = 'LDAP bind (user@domain or DN template), optional search with expected entries';
  override readonly paramsSchema = paramsSchema;

  /** The service credentials with the username turned into the bind name. */
  override getCredentials(service: Service): Credentials {
    const creds = super.getCredentials(service);
    const params = parseParams(paramsSchema, service);
    if (params.bindDn) return { username: params.bindDn.replaceAll('{username}', escapeDnValue(creds.username)), password: creds.password };
    if (params.domain && !creds.username.includes('@')) return { username: `${creds.username}@${params.domain}`, password: creds.password };
    return creds;
  }

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username: bindName, password } = this.getCredentials(service);
    const port = portOf(service, params.security === 'ldaps' ? 636 : 389);
    const target = targetOf(service, port);
    const deadline = startProbeDeadline(ctx);
    const wanted = Object.keys(params.expect?.attributes ?? {});
    const result = await probeLdap({
      host: service.host,
      port,
      target,
      security: params.security,
      bindName,
      password,
      ...(params.base !== undefined
        ? { search: { base: params.base, filter: params.filter, scope: params.scope, attributes: wanted.length ? wanted : ['1.1'], sizeLimit: 1000 } }
        : {}),
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    if (result.ok && result.entries) {
      const mismatch = judge(result.entries, params);
      if (mismatch) error = `bound to ${target} as ${bindName}; search of '${params.base}' for ${params.filter}: ${mismatch}`;
    }
    this.log(service, `bind as ${bindName}${params.base ? ` and search of '${params.base}'` : ''}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

/** Null when the entries meet `params.expect`, else why not. */
function judge(entries: readonly Record<string, unknown>[], params: LdapParams): string | null {
  const expect = params.expect;
  const n = entries.length;
  const found = `${n} entr${n === 1 ? 'y' : 'ies'}`;
  if (!expect) return null;
  if (expect.count !== undefined && n !== expect.count) return `${found}, expected ${expect.count}`;
  if (expect.minCount !== undefined && n < expect.minCount) return `${found}, expected at least ${expect.minCount}`;
  const attrs = Object.entries(expect.attributes ?? {});
  if (attrs.length === 0) return null;
  const holds = (entry: Record<string, unknown>, name: string, value: string): boolean => {
    const key = Object.keys(entry).find((k) => k.toLowerCase() === name.toLowerCase());
    const v = key === undefined ? [] : entry[key];
    return (Array.isArray(v) ? v : [v]).some((x) => String(x) === value);
  };
  if (entries.some((e) => attrs.every(([name, value]) => holds(e, name, value)))) return null;
  return `none of ${found} has ${attrs.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}

/** Escapes a value for use inside a DN (RFC 4514). */
function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]/, (c) => `\\${c}`)
    .replace(/ $/, '\\ ');
}
