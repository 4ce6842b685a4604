// https against a node:https server with a self-signed certificate made by `openssl req`.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpCheck, HttpsCheck } from '../../src/checks/http.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort, removeDir, tempDir } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';

let dir: string;
let server: Server;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = tempDir('https');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=www.team1.local',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
    const ok = req.headers.authorization === `Basic ${Buffer.from('bob:pa55').toString('base64')}`;
    if (req.url === '/private' && !ok) return void res.writeHead(401).end();
    if (req.url === '/sni') return void res.end(`sni=${String((req.socket as TLSSocket).servername)} host=${req.headers.host ?? ''}`);
    res.end('<title>Team 1 shop</title>');
  });
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
  removeDir(dir);
});

describe('https check against a self-signed certificate', () => {
  test('passes with verification off (the default), leaving nothing open', async () => {
    const before = activeResources();
    const r = await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params: { expect: { contains: 'Team 1 shop' } } });
    expect(r).toMatchObject({ score: 1, error: null, resolvedType: 'https' });
    await expectNoLeakedResources(before);
  });

  test('fails with verifyTls: true', async () => {
    const r = await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params: { verifyTls: true } });
    expect(r.score).toBe(0);
    expect(r.error).toBe(`TLS certificate of 127.0.0.1:${port} rejected: self-signed certificate`);
  });

  test('hostHeader is also the TLS server name (SNI)', async () => {
    const r = await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params: { path: '/sni', hostHeader: 'www.team1.local', expect: { contains: 'sni=www.team1.local host=www.team1.local' } } });
    expect(r).toMatchObject({ score: 1, error: null });
  });

  test('wrong content', async () => {
    const r = await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params: { path: '/shop', expect: { regex: 'Team [2-9]' } } });
    expect(r.error).toBe('HTTP 200 from /shop, but /Team [2-9]/ did not match in 26 bytes');
  });

  test('basic auth: right and wrong credentials', async () => {
    const params = { path: '/private', auth: 'basic' };
    expect((await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params, username: 'bob', password: 'pa55' })).error).toBeNull();
    const r = await runCheck(new HttpsCheck(), { host: '127.0.0.1', port, params, username: 'bob', password: 'wrong-pa55' });
    expect(r.error).toBe('HTTP 401 from /private (expected 200); login as bob rejected');
    expect(JSON.stringify(r)).not.toContain('wrong-pa55');
  });

  test('plain http to the TLS port, and nothing listening', async () => {
    const r = await runCheck(new HttpCheck(), { host: '127.0.0.1', port });
    expect(r.score).toBe(0);
    expect(r.error).toMatch(new RegExp(`^127\\.0\\.0\\.1:${port} (closed the connection without an HTTP answer|did not answer with valid HTTP) \\(is it HTTPS\\?\\)$`));
    const free = await freePort();
    expect((await runCheck(new HttpsCheck(), { host: '127.0.0.1', port: free })).error).toBe(`connection refused by 127.0.0.1:${free}`);
  });
});
