/**
 * The inspector in headless Chromium during a real scan: fake ServiceTypes on a
 * MemoryStore, some waiting on a gate the test opens, some hanging until their signal
 * aborts. The hub's clock is injected, so "past the deadline" needs no waiting.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stuckCommand } from '../../src/cli/commands/stuck.js';
import { createEngine } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { readRecording } from '../../src/inspection/read-recording.js';
import { recordInspection } from '../../src/inspection/recorder.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { NO_BROWSER, SECRETS, TOKENS, assertNoSecrets, bearer, gate, http, launchBrowser, secretCompetition } from './support.js';

const TEAMS = 4;
const POLL = { timeout: 10_000, interval: 50 };
const text = (page: Page, selector: string) => page.locator(selector).textContent();
const dir = mkdtempSync(join(tmpdir(), 'sk-viz-'));
const recordingFile = join(dir, 'scan.jsonl');
const outputs: Array<{ where: string; text: string }> = [];
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;

if (NO_BROWSER) console.warn(NO_BROWSER);

describe.skipIf(!!NO_BROWSER)('inspector in a browser during a real scan', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('tree, live states, lifecycle counts, stuck list (page, API and CLI); nothing secret anywhere', async () => {
    const slow = gate();
    const registry = registryOf(
      recordingType('web', []),
      recordingType('slow', [], { behaviour: { do: 'custom', fn: async (type, service, ctx) => (await slow.wait(ctx.signal), type.reportScore(service, service.points, null)) } }),
      recordingType('hang', [], { behaviour: { do: 'hang' } }),
    );
    const competition = secretCompetition(TEAMS, [
      { name: 'www', type: 'web' },
      { name: 'ssh', type: 'slow', timeoutMs: 60_000 },
      { name: 'db', type: 'hang', timeoutMs: 60_000 },
    ]);
    let offset = 0;
    const engine = createEngine({ registry, store: new MemoryStore() });
    const hub = new InspectionHub(engine, { now: () => Date.now() + offset, tickMs: 200 });
    const recording = recordInspection(hub.messages$, recordingFile);
    const web = await startWebServer({ tokens: TOKENS, hub });
    const sse = rawStream(web, outputs);
    const handle = engine.scan(competition);
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
      expect(page.url()).toBe(`${web.url}/inspector.html`); // the token left the address bar

      // Every team and every check in the tree.
      for (let t = 1; t <= TEAMS; t++) {
        for (const s of ['www', 'ssh', 'db']) await page.waitForSelector(`[data-actor-id="scan-1/team-${t}/${s}"]`, { timeout: 10_000 });
        await page.waitForSelector(`[data-actor-id="scan-1/team-${t}"][data-kind=team]`);
      }
      await page.waitForSelector('[data-actor-id="scan-1/team-1/ssh"][data-state=checking]');
      await expect.poll(() => text(page, '#count-checking'), POLL).toBe(String(2 * TEAMS));
      outputs.push({ where: 'inspector page (running)', text: await page.content() });

      // States change live: the gated checks end once the gate opens.
      slow.open();
      for (let t = 1; t <= TEAMS; t++) await page.waitForSelector(`[data-actor-id="scan-1/team-${t}/ssh"][data-state=ended]`);
      await expect.poll(() => text(page, '#count-ended'), POLL).toBe(String(2 * TEAMS));
      await expect.poll(() => text(page, '#count-checking'), POLL).toBe(String(TEAMS));
      expect(await page.locator('#stuck tbody tr').count()).toBe(0);
      // A team's counts follow its ended checks while its db check hangs (issue 20, point 6).
      for (let t = 1; t <= TEAMS; t++) await expect.poll(() => text(page, `[data-actor-id="scan-1/team-${t}"] > .line .counts`), POLL).toBe('2 done · 2 up · 0 down');

      // Past the deadline plus grace: the hung checks are listed as stuck.
      offset = 60_000 + 2_000 + 1_000;
      await expect.poll(() => page.locator('#stuck tbody tr').count(), POLL).toBe(TEAMS);
      const rows = await Promise.all((await page.locator('#stuck tbody tr').all()).map((tr) => tr.locator('td').allTextContents()));
      expect(rows.map((r) => [r[0], r[1], r[2], r[5]]).sort()).toEqual(Array.from({ length: TEAMS }, (_, i) => [String(i + 1), 'db', 'checking', 'no']));
      expect(rows.every((r) => r[4] === 'check.checking')).toBe(true);

      const api = await http(`${web.url}/api/stuck`, { headers: bearer(SECRETS.adminToken) });
      outputs.push({ where: '/api/stuck', text: api.body });
      const stuck = (JSON.parse(api.body) as { stuck: Array<{ team: number; service: string; state: string; armed: boolean; forMs: number }> }).stuck;
      expect(stuck.map((s) => [s.team, s.service, s.state, s.armed]).sort()).toEqual(Array.from({ length: TEAMS }, (_, i) => [i + 1, 'db', 'checking', false]));
      expect(stuck.every((s) => s.forMs > 62_000)).toBe(true);

      const cli = capture();
      expect(await stuckCommand(['--url', web.url, '--token', SECRETS.adminToken], cli.stream)).toBe(0);
      expect(cli.text()).toMatch(/4 stuck checks/);
      for (let t = 1; t <= TEAMS; t++) expect(cli.text()).toMatch(new RegExp(`^${t}\\s+db\\s+checking\\s+\\d+\\.\\d s\\s+check\\.checking\\s+no$`, 'm'));

      // Selecting an actor shows its events, hook timings and result.
      await page.click('[data-actor-id="scan-1/team-2/www"] .label');
      await page.waitForSelector('#detail .timings');
      const detail = await page.locator('#detail').textContent();
      expect(detail).toContain('check.checking');
      expect(detail).toMatch(/doCheck\s*[\d.]+ ms/);
      expect(detail).toContain('1/1');
      outputs.push({ where: 'inspector page (stuck)', text: await page.content() });
      outputs.push({ where: '/api/inspect/snapshot', text: (await http(`${web.url}/api/inspect/snapshot`, { headers: bearer(SECRETS.adminToken) })).body });

      // The hung checks end when the scan is stopped.
      handle.stop('test over');
      const summary = await handle.summary;
      expect(summary.checks).toBe(3 * TEAMS);
      await expect.poll(() => text(page, '#count-ended'), POLL).toBe(String(3 * TEAMS));
      await expect.poll(() => page.locator('#stuck tbody tr').count(), POLL).toBe(0);
      outputs.push({ where: 'inspector page (ended)', text: await page.content() });
    } finally {
      await page.close();
      sse.close();
      await recording.close();
      await web.close();
    }
    expect(hub.watching).toBe(0);
    outputs.push({ where: 'recording', text: readFileSync(recordingFile, 'utf8') });
    expect(outputs.find((o) => o.where === 'SSE stream')?.text).toMatch(/^id: \d+\nevent: actor\n/m);
    for (const o of outputs) assertNoSecrets(o.text, o.where);
  });

  test("a team's token shows the inspector with its own team's checks only", async () => {
    const registry = registryOf(recordingType('hang', [], { behaviour: { do: 'hang' } }));
    const engine = createEngine({ registry, store: new MemoryStore() });
    const hub = new InspectionHub(engine, { tickMs: 200 });
    const web = await startWebServer({ tokens: TOKENS, hub });
    const handle = engine.scan(secretCompetition(2, [{ name: 'www', type: 'hang', timeoutMs: 60_000 }, { name: 'db', type: 'hang', timeoutMs: 60_000 }]));
    // The admin session of the test before would be kept over a link of another principal.
    await browser!.context.clearCookies();
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.team1Token}`);
      for (const s of ['www', 'db']) await page.waitForSelector(`[data-actor-id="scan-1/team-1/${s}"][data-state=checking]`, { timeout: 10_000 });
      await expect.poll(() => text(page, '#count-checking'), POLL).toBe('2');
      expect(await page.locator('[data-actor-id^="scan-1/team-2"]').count()).toBe(0);
      assertNoSecrets(await page.content(), 'team inspector page');
    } finally {
      await page.close();
      await browser!.context.clearCookies();
      handle.stop('test over');
      await handle.summary;
      await web.close();
    }
  });

  test('between rounds the page says when the next round starts', async () => {
    const engine = createEngine({ registry: registryOf(recordingType('web', [])), store: new MemoryStore() });
    const hub = new InspectionHub(engine, { tickMs: 200 });
    const web = await startWebServer({ tokens: TOKENS, hub });
    const at = Date.now() + 42_000;
    hub.setNextRound({ at, round: 7 });
    const page = await browser!.context.newPage();
    try {
      // From the snapshot a page gets when it opens...
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
      await expect.poll(() => text(page, '#next-round'), POLL).toMatch(/^Round 7 starts at .+, in (4[0-2]) s\.$/);
      // ...and from the stream: gone when the round starts, back when the next is scheduled.
      hub.setNextRound(undefined);
      await expect.poll(() => page.locator('#next-round').isHidden(), POLL).toBe(true);
      hub.setNextRound({ at: Date.now() + 5_000 });
      await expect.poll(() => text(page, '#next-round'), POLL).toMatch(/^The next round starts at .+, in [1-5] s\.$/);
    } finally {
      await page.close();
      await web.close();
    }
  });

  test('replay steps through the recorded scan', async () => {
    const messages = await readRecording(recordingFile);
    expect(messages.length).toBeGreaterThan(20);
    const web = await startWebServer({ tokens: TOKENS, recording: messages });
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
      await page.waitForSelector('#timeline:not([hidden])');
      expect(await page.locator('#mode').textContent()).toBe('replay');
      expect(await page.locator('.actor').count()).toBe(0);
      // Step forward one message at a time until the first check appears.
      let steps = 0;
      while ((await page.locator('.actor.kind-check').count()) === 0) {
        await page.click('#forward');
        steps++;
        await expect.poll(() => page.locator('#slider').inputValue(), POLL).toBe(String(steps));
      }
      expect(await page.locator('[data-actor-id=scan-1]').count()).toBe(1);
      expect(await page.locator('#position').textContent()).toMatch(new RegExp(`^${steps} / ${messages.length}`));
      // To the end: every check ended; back one step and the tree follows.
      await page.click('#last');
      await expect.poll(() => text(page, '#count-ended'), POLL).toBe(String(3 * TEAMS));
      expect(await page.locator('.actor.kind-check').count()).toBe(3 * TEAMS);
      await page.click('#first');
      await expect.poll(() => page.locator('.actor').count(), POLL).toBe(0);
      // The slider jumps: halfway, some checks have started.
      await page.locator('#slider').fill(String(Math.floor(messages.length / 2)));
      await expect.poll(() => page.locator('.actor.kind-check').count(), POLL).toBeGreaterThan(0);
      assertNoSecrets(await page.content(), 'replay page');
      const api = await http(`${web.url}/api/recording`, { headers: bearer(SECRETS.adminToken) });
      assertNoSecrets(api.body, '/api/recording');
    } finally {
      await page.close();
      await web.close();
    }
  });
});

/** Reads the raw SSE stream as the admin into `outputs` until closed. */
function rawStream(web: WebServer, into: Array<{ where: string; text: string }>): { close: () => void } {
  const entry = { where: 'SSE stream', text: '' };
  into.push(entry);
  const req = request(`${web.url}/api/inspect/stream`, { headers: bearer(SECRETS.adminToken) }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (entry.text += chunk));
    res.on('error', () => undefined);
  });
  req.on('error', () => undefined);
  req.end();
  return { close: () => req.destroy() };
}

/** A writable that keeps what the CLI prints. */
function capture(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { stream, text: () => text };
}
