/** The built-in `smb` check. */
import { z } from 'zod';
import { probeSmb } from '../probes/smb.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

/** A path smbclient's `-c` can carry inside double quotes. */
const smbPath = z.string().regex(/^[^"\r\n;]*$/, 'must not contain ", ; or line breaks');

const paramsSchema = z
  .object({
    /** Share name ("files", "public"). */
    share: z.string().regex(/^[^/\\"\s;]+$/, 'must be a share name without slashes, quotes or spaces'),
    /** File to download from the share (`docs/welcome.txt`). */
    file: smbPath.min(1).optional(),
    /** What the downloaded file must contain, or its sha256. */
    expect: contentExpectationSchema.optional(),
    /** Directory to list when no file is given. Default: the share's root. */
    dir: smbPath.default(''),
    /** Names that must appear in the listing of `dir`. */
    list: z.array(z.string().min(1)).min(1).optional(),
    /** Workgroup or domain of the account. */
    domain: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => !p.expect || p.file, { message: 'expect needs a file', path: ['expect'] })
  .refine((p) => !(p.list && p.file), { message: 'use list (a directory listing) or file, not both', path: ['list'] });

/**
 * SMB: logs in to a share through `smbclient` (credentials in a private authentication
 * file, never in argv) and either downloads a file whose content must match, or lists a
 * directory that must contain the given names.
 */
export class SmbCheck extends ServiceType {
  readonly shortName = 'smb';
  override readonly defaultPort = 445;
  override readonly description = 'SMB share access via smbclient: file content match or directory listing';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const target = targetOf(service, 445);
    const deadline = startProbeDeadline(ctx);
    const result = await probeSmb({
      host: service.host,
      port: portOf(service, 445),
      target,
      share: params.share,
      username,
      password,
      ...(params.domain !== undefined ? { domain: params.domain } : {}),
      action: params.file !== undefined ? { kind: 'get', file: params.file } : { kind: 'ls', dir: params.dir },
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    const where = `logged in to ${target} as ${username}`;
    if (result.ok && params.file !== undefined && hasExpectation(params.expect)) {
      const mismatch = evaluateContent(result.content, params.expect);
      if (mismatch) error = `${where}; '${params.file}' on share '${params.share}': ${mismatch}`;
    }
    if (result.ok && params.list) {
      const missing = params.list.filter((name) => !result.names.includes(name));
      if (missing.length > 0) {
        error = `${where}; ${missing.map((n) => `'${n}'`).join(', ')} not in the listing of '${params.dir || '\\'}' on share '${params.share}' (${result.names.length} entries)`;
      }
    }
    const what = params.file !== undefined ? `file '${params.file}'` : `listing of '${params.dir || '\\'}'`;
    this.log(service, `share '${params.share}' as ${username}: ${what}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
