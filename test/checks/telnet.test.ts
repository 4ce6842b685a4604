// No Node library provides a telnet server: peers that never prompt or hang up here; inetutils telnetd is in test/daemons.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TelnetCheck } from '../../src/checks/telnet.js';
import { runCheck } from '../../src/testing/run-check.js';
import { freePort } from '../support/daemon.js';
import { activeResources, expectNoLeakedResources } from '../support/handles.js';
import { scriptedServer, type ScriptedServer } from '../support/scripted-server.js';

let server: ScriptedServer;
let port: number;

beforeAll(async () => {
  server = await scriptedServer();
  port = server.port;
});
afterAll(() => server.close());

const creds = { username: 'alice', password: 'pw-123' };

describe('telnet check', () => {
  test('a server that never prompts: the probe names the missing login prompt', async () => {
    server.onConnection = (s) => s.write('Welcome to team 1\r\n');
    const before = activeResources();
    const r = await runCheck(new TelnetCheck(), { host: '127.0.0.1', port, ...creds }, { timeoutMs: 500 });
    expect(r.timedOut).toBe(false);
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; no login prompt within 0\\.\\d+ s \\(last output: "Welcome to team 1"\\)$`));
    await expectNoLeakedResources(before);
  });

  test('a server that hangs up', async () => {
    server.onConnection = (s) => s.end('go away\r\n');
    const r = await runCheck(new TelnetCheck(), { host: '127.0.0.1', port, ...creds });
    expect(r.error).toMatch(new RegExp(`^connected to 127\\.0\\.0\\.1:${port}; the server closed the connection while waiting for the login prompt`));
  });

  test('nothing listening; missing credentials; expect without command', async () => {
    const free = await freePort();
    expect((await runCheck(new TelnetCheck(), { host: '127.0.0.1', port: free, ...creds })).error).toBe(`connection refused by 127.0.0.1:${free}`);
    expect((await runCheck(new TelnetCheck(), { host: '127.0.0.1', port })).error).toBe('team-1/telnet: no credentials for Team1 (no credentials configured for this service)');
    expect((await runCheck(new TelnetCheck(), { host: '127.0.0.1', port, ...creds, params: { expect: { contains: 'x' } } })).error).toBe('team-1/telnet: params.expect: expect needs a command');
    expect((await runCheck(new TelnetCheck(), { host: '127.0.0.1', port, ...creds, params: { shellPrompt: '(' } })).error).toBe('team-1/telnet: params.shellPrompt: must be a valid regular expression');
  });

  test('an abort while waiting for the prompt leaves nothing open', async () => {
    const before = activeResources();
    const controller = new AbortController();
    server.onConnection = (s) => s.write('login', () => controller.abort(new Error('scan stopped')));
    const r = await runCheck(new TelnetCheck(), { host: '127.0.0.1', port, ...creds }, { signal: controller.signal });
    expect(r).toMatchObject({ score: 0, error: 'scan stopped' });
    await expectNoLeakedResources(before);
  });
});
