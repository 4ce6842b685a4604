/** The built-in `ftp` check. */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { z } from 'zod';
import { probeFtp } from '../probes/ftp.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Service } from '../types.js';
import { contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { portOf, targetOf } from './support/target.js';

const paramsSchema = z
  .object({
    /** Remote file to download (relative to the login directory, or absolute). */
    file: z.string().min(1).optional(),
    /** What the downloaded file must contain, or its sha256. */
    expect: contentExpectationSchema.optional(),
    /** Upload a small unique file, check its size, then delete it. Default false. */
    upload: z.boolean().default(false),
    /** Directory the upload goes to. Default: the login directory. */
    uploadDir: z.string().min(1).optional(),
    /** Explicit FTPS (AUTH TLS) before login; certificates are not verified. Default false. */
    secure: z.boolean().default(false),
  })
  .strict()
  .refine((p) => !p.expect || p.file, { message: 'expect needs a file', path: ['expect'] })
  .refine((p) => !p.uploadDir || p.upload, { message: 'uploadDir needs upload: true', path: ['uploadDir'] });

/**
 * FTP: logs in, optionally downloads `params.file` and matches its content or sha256,
 * and optionally uploads a small unique file, checks its size and deletes it.
 */
export class FtpCheck extends ServiceType {
  readonly shortName = 'ftp';
  override readonly defaultPort = 21;
  override readonly description = 'FTP login, optional download with content or sha256 match, optional upload and delete';
  override readonly paramsSchema = paramsSchema;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const { username, password } = this.getCredentials(service);
    const target = targetOf(service, 21);
    const nonce = randomBytes(8).toString('hex');
    const upload = params.upload
      ? {
          path: posix.join(params.uploadDir ?? '', `.scorekeeper-${nonce}.txt`),
          content: Buffer.from(`scorekeeper upload check ${service.id} ${nonce}\n`),
        }
      : undefined;
    const deadline = startProbeDeadline(ctx);
    const result = await probeFtp({
      host: service.host,
      port: portOf(service, 21),
      target,
      secure: params.secure,
      username,
      password,
      ...(params.file !== undefined ? { file: params.file } : {}),
      ...(upload ? { upload } : {}),
      deadline,
    }).finally(() => deadline.dispose());
    if (!result.ok && result.aborted) return; // the engine already recorded the timeout
    let error = result.ok ? null : result.error;
    if (result.ok && result.content && hasExpectation(params.expect)) {
      const mismatch = evaluateContent(result.content, params.expect);
      if (mismatch) error = `logged in to ${target} as ${username}; '${params.file}': ${mismatch}`;
    }
    const steps = [params.file ? `download of '${params.file}'` : '', upload ? 'upload' : ''].filter(Boolean).join(' and ');
    this.log(service, `login as ${username}${steps ? ` and ${steps}` : ''}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}
