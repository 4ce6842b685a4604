/**
 * How `serve` faces the network, from its flags and the competition file's `web`
 * section (flags win): the TLS certificate and key, plain HTTP allowed or not, and the
 * extra names the pages answer to.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import type { WebSettings } from '../config/build-competition.js';
import { ConfigError, errorMessage } from '../errors.js';
import { UsageError } from './cli-error.js';

/** The flags of `serve` that this reads. */
export interface WebFlags {
  readonly 'tls-cert'?: string;
  readonly 'tls-key'?: string;
  readonly 'insecure-http'?: boolean;
  readonly 'allow-host'?: string;
}

/** What the web server gets. */
export interface WebServeOptions {
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  readonly insecureHttp?: boolean;
  readonly allowedHosts: readonly string[];
}

/**
 * The `web` section of a competition file, read before the file is loaded and validated
 * (`serve` binds its port first, and TLS decides how); anything malformed here is left
 * for the full validation to report.
 */
export function readWebSection(file: string): WebSettings {
  let web: unknown;
  try {
    web = (parse(readFileSync(file, 'utf8')) as { web?: unknown } | null)?.web;
  } catch {
    return { allowedHosts: [] };
  }
  const w = (web ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const tlsCert = str(w.tlsCert);
  const tlsKey = str(w.tlsKey);
  return {
    ...(tlsCert !== undefined ? { tlsCert } : {}),
    ...(tlsKey !== undefined ? { tlsKey } : {}),
    allowedHosts: Array.isArray(w.allowedHosts) ? w.allowedHosts.filter((h): h is string => typeof h === 'string') : [],
  };
}

/** Reads the certificate and key named by the flags or the file; errors name the option. */
export function webServeOptions(flags: WebFlags, loaded: { readonly web: WebSettings; readonly file: string }): WebServeOptions {
  const folder = dirname(resolve(loaded.file));
  const fromFile = (path: string | undefined) => (path === undefined ? undefined : resolve(folder, path));
  const cert = flags['tls-cert'] ?? fromFile(loaded.web.tlsCert);
  const key = flags['tls-key'] ?? fromFile(loaded.web.tlsKey);
  if ((cert === undefined) !== (key === undefined)) {
    throw new UsageError(`serve: TLS needs both a certificate and a key: give --tls-cert and --tls-key (or web.tlsCert and web.tlsKey)`);
  }
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new ConfigError(`serve: cannot read the TLS ${what} ${path}: ${errorMessage(err)}`);
    }
  };
  const extra = (flags['allow-host'] ?? '').split(',').map((h) => h.trim()).filter((h) => h !== '');
  return {
    ...(cert !== undefined && key !== undefined ? { tls: { cert: read(cert, 'certificate'), key: read(key, 'key') } } : {}),
    ...(flags['insecure-http'] ? { insecureHttp: true } : {}),
    allowedHosts: [...loaded.web.allowedHosts, ...extra],
  };
}
