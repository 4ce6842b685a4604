/**
 * Fixtures of the visualizer tests: a competition full of secrets (to search every output
 * for them), an engine on fake ServiceTypes, the web server, and headless Chromium.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { Competition, Service } from '../../src/types.js';
import type { ServiceType } from '../../src/service-type.js';
import type { Tokens } from '../../src/config/tokens.js';

/** Chromium installed by scripts/install-test-servers.sh. */
export const CHROMIUM = '/usr/bin/chromium';
/** Why browser tests are skipped, or undefined when they run. */
export const NO_BROWSER = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is missing (install it with scripts/install-test-servers.sh): browser tests skipped`;

/** Every configured secret of the test competition. */
export const SECRETS = {
  explicitPassword: 'pw-EXPLICIT-7c1d9e',
  teamInfoPassword: 'pw-TEAMINFO-4a8b2f',
  poolPassword: 'pw-POOL-9e3c61',
  secretParam: 'param-SECRET-5d7a0b',
  adminToken: 'tok-ADMIN-0123456789abcdef',
  team1Token: 'tok-TEAM1-0123456789abcdef',
  team2Token: 'tok-TEAM2-0123456789abcdef',
} as const;

/** The tokens section of the test competition. */
export const TOKENS: Tokens = { admin: SECRETS.adminToken, teams: { 1: SECRETS.team1Token, 2: SECRETS.team2Token } };

/** Throws when any configured secret occurs in `text` (naming where, never the secret). */
export function assertNoSecrets(text: string, where: string): void {
  for (const [name, secret] of Object.entries(SECRETS)) {
    if (text.includes(secret)) throw new Error(`secret '${name}' found in ${where}`);
  }
}

/** A competition whose services use every kind of secret. */
export function secretCompetition(teams: number, services: ReadonlyArray<{ name: string; type: string; timeoutMs?: number }>): Competition {
  return {
    name: 'viz-cup',
    teams: Array.from({ length: teams }, (_, i) => ({ number: i + 1, name: `Team${i + 1}` })),
    services: services.map((s, i) => ({
      host: `10.{team}.1.${i + 10}`,
      params: { apiKey: SECRETS.secretParam, path: '/' },
      secretParams: ['apiKey'],
      credentials:
        i % 3 === 0
          ? { from: 'explicit' as const, username: 'scorebot', password: SECRETS.explicitPassword }
          : i % 3 === 1
            ? { from: 'teamInfo' as const, username: 'root', passwordKey: 'rootpw' }
            : { from: 'pool' as const, pool: 'users' },
      ...s,
    })),
    teamInfo: Object.fromEntries(Array.from({ length: teams }, (_, i) => [i + 1, { rootpw: SECRETS.teamInfoPassword }])),
    pools: { users: Object.fromEntries(Array.from({ length: teams }, (_, i) => [i + 1, [{ username: 'alice', password: SECRETS.poolPassword }]])) },
  };
}

/** A gate the test opens: checks waiting on it stay in `checking` until then. */
export function gate(): { wait: (signal: AbortSignal) => Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    open,
    wait: (signal) =>
      new Promise<void>((resolve, reject) => {
        void opened.then(resolve);
        signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      }),
  };
}

/** Scores a service down with a message naming its team (to test who sees what). */
export function downWithTeamMessage(type: ServiceType, service: Service): void {
  type.reportScore(service, 0, `connection refused by ${service.team.name} host`);
}

/** A headless Chromium with a fresh profile; close() removes the profile. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'sk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A plain HTTP (or HTTPS, certificate not verified) request; resolves with status,
 * headers and body text. `from` is the local address it leaves from (another loopback
 * address stands for another client).
 */
export function http(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; from?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : request;
    const req = send(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, rejectUnauthorized: false, ...(options.from ? { localAddress: options.from } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Bearer header of a token. */
export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
