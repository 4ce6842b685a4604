/**
 * `http` and `https`: fetch a page (optionally after basic auth or a form login) and
 * judge its status and content. `https` is the same check over TLS; certificates are not
 * verified unless `verifyTls: true` (team certificates are self-signed).
 *
 * Steps, each with its own message: login (form), request, status, body, content.
 */
import { z } from 'zod';
import { errorMessage } from '../errors.js';
import { HttpProbe, type HttpAnswer } from '../probes/http.js';
import { startProbeDeadline } from '../probes/tcp-deadline.js';
import { ServiceType } from '../service-type.js';
import type { CheckContext, Credentials, Service } from '../types.js';
import { MATCH_WINDOW, contentExpectationSchema, evaluateContent, hasExpectation } from './support/match.js';
import { parseParams } from './support/params.js';
import { portOf } from './support/target.js';

const pathSchema = z.string().regex(/^\//, 'must start with "/"');
const statusSchema = z.number().int().min(100).max(599);

const loginSchema = z
  .object({
    /** Where the login form posts to. */
    path: pathSchema,
    /** Form field names for the username and password. */
    usernameField: z.string().min(1).default('username'),
    passwordField: z.string().min(1).default('password'),
    /** Other form fields sent with the login ("submit": "Log in"). */
    fields: z.record(z.string(), z.string()).default({}),
    /** Text in the login answer that means the login was rejected. */
    failureText: z.string().min(1).optional(),
  })
  .strict();

const paramsSchema = z
  .object({
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'OPTIONS']).default('GET'),
    path: pathSchema.default('/'),
    /** Host header (virtual host), when it differs from `host`. */
    hostHeader: z.string().min(1).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    /** Request body for POST/PUT. */
    body: z.string().optional(),
    /** Expected status, or any of a list. */
    status: z
      .union([statusSchema, z.array(statusSchema).min(1)], { error: 'expected an HTTP status code 100..599 or a list of them (200 or [200, 302])' })
      .default(200),
    expect: contentExpectationSchema.optional(),
    /** "basic": HTTP basic auth; "form": POST the credentials to `login.path` first. */
    auth: z.enum(['none', 'basic', 'form']).default('none'),
    login: loginSchema.optional(),
    verifyTls: z.boolean().default(false),
    /** Redirects followed for the page (not the login). */
    followRedirects: z.number().int().min(0).max(10).default(0),
    /** Largest body read for a sha256 comparison. */
    maxBodyBytes: z.number().int().positive().default(8 * 1024 * 1024),
  })
  .strict()
  .refine((p) => p.auth !== 'form' || p.login !== undefined, { message: 'auth "form" needs login.path', path: ['login'] });

type HttpParams = z.infer<typeof paramsSchema>;

/** HTTP: status and content of a page, with optional basic auth or form login. */
export class HttpCheck extends ServiceType {
  readonly shortName: string = 'http';
  override readonly defaultPort: number = 80;
  override readonly description: string = 'HTTP page: status, content (contains/regex/sha256), optional basic auth or form login';
  override readonly paramsSchema = paramsSchema;
  /** Whether this type speaks TLS. */
  protected readonly tls: boolean = false;

  override async doCheck(service: Service, ctx: CheckContext): Promise<void> {
    const params = parseParams(paramsSchema, service);
    const creds = params.auth === 'none' ? undefined : this.getCredentials(service);
    const port = portOf(service, this.tls ? 443 : 80);
    const deadline = startProbeDeadline(ctx);
    const probe = new HttpProbe(service.host, port, this.tls, params.verifyTls, deadline, params.hostHeader);
    let error: string | null;
    try {
      error = await runSteps(probe, params, creds);
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      error = errorMessage(err);
    } finally {
      deadline.dispose();
      await probe.close();
    }
    const who = creds ? ` as ${creds.username}` : '';
    this.log(service, `${params.method} ${params.path}${who}`, error === null, error);
    this.reportScore(service, error === null ? service.points : 0, error);
  }
}

/** HTTPS: the http check over TLS (certificate not verified unless `verifyTls`). */
export class HttpsCheck extends HttpCheck {
  override readonly shortName: string = 'https';
  override readonly defaultPort: number = 443;
  override readonly description: string = 'HTTPS page (TLS, self-signed certificates accepted by default): status, content, optional auth';
  protected override readonly tls: boolean = true;
}

/** Runs login, request and evaluation; returns null when the page is as expected. */
async function runSteps(probe: HttpProbe, params: HttpParams, creds: Credentials | undefined): Promise<string | null> {
  const headers: Record<string, string> = { ...params.headers };
  if (params.hostHeader) headers.host = params.hostHeader;
  if (params.auth === 'form' && params.login && creds) {
    const rejected = await formLogin(probe, params.login, creds, headers);
    if (rejected) return rejected;
  }
  if (params.auth === 'basic' && creds) {
    headers.authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  }
  const expect = hasExpectation(params.expect) ? params.expect : undefined;
  const readLimit = !expect ? 0 : expect.sha256 !== undefined ? params.maxBodyBytes : MATCH_WINDOW;
  let answer = await probe.fetch({
    method: params.method,
    path: params.path,
    headers,
    ...(params.body !== undefined ? { body: params.body } : {}),
    readLimit,
  });
  for (let i = 0; i < params.followRedirects && isRedirect(answer); i++) {
    answer = await probe.fetch({ method: 'GET', path: String(answer.headers.location), headers, readLimit });
  }
  const wanted = Array.isArray(params.status) ? params.status : [params.status];
  if (!wanted.includes(answer.status)) {
    const rejected = answer.status === 401 && params.auth === 'basic' && creds ? `; login as ${creds.username} rejected` : '';
    const where = isRedirect(answer) ? ` to ${String(answer.headers.location)}` : '';
    return `HTTP ${answer.status}${where} from ${answer.path} (expected ${wanted.join(' or ')})${rejected}`;
  }
  if (!expect) return null;
  if (expect.sha256 !== undefined && answer.truncated) {
    return `HTTP ${answer.status} from ${answer.path}, but the body is larger than ${params.maxBodyBytes} bytes (maxBodyBytes); sha256 not compared`;
  }
  const why = evaluateContent(answer.body, expect);
  return why ? `HTTP ${answer.status} from ${answer.path}, but ${why}` : null;
}

/** Posts the credentials; returns why the login was rejected, or null. */
async function formLogin(probe: HttpProbe, login: NonNullable<HttpParams['login']>, creds: Credentials, headers: Record<string, string>): Promise<string | null> {
  const form = new URLSearchParams({ ...login.fields, [login.usernameField]: creds.username, [login.passwordField]: creds.password });
  const answer = await probe.fetch({
    method: 'POST',
    path: login.path,
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    readLimit: login.failureText ? MATCH_WINDOW : 0,
  });
  const as = `login as ${creds.username} at ${answer.path}`;
  if (answer.status === 401 || answer.status === 403) return `${as} rejected (HTTP ${answer.status})`;
  if (answer.status >= 400) return `${as} failed: HTTP ${answer.status}`;
  if (login.failureText && answer.body.subarray(0, MATCH_WINDOW).toString('utf8').includes(login.failureText)) {
    return `${as} rejected ('${login.failureText}' in the answer)`;
  }
  return null;
}

function isRedirect(answer: HttpAnswer): boolean {
  return answer.status >= 300 && answer.status < 400 && typeof answer.headers.location === 'string';
}
