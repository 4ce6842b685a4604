/**
 * The inspector's pictures in headless Chromium during a real scan: the statecharts
 * (counts per state, the selected actor lit, a click on a state selects an actor in
 * it) and the round timeline (a row per check, hover gives the phases and the message,
 * click selects; the same from a recording in replay). Then 10,000 checks through the
 * real hub: the timeline's frame times, printed (no threshold: the figure goes to
 * docs/visualizer.md).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEngine, engineCharts } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { readRecording } from '../../src/inspection/read-recording.js';
import { recordInspection } from '../../src/inspection/recorder.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startWebServer } from '../../src/web/web-server.js';
import { recordingType, registryOf } from '../support/recording-types.js';
import { NO_BROWSER, SECRETS, TOKENS, gate, launchBrowser, secretCompetition } from './support.js';

const TEAMS = 3;
const POLL = { timeout: 10_000, interval: 50 };
const dir = mkdtempSync(join(tmpdir(), 'sk-pictures-'));
let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
  });

/** The data-state of the chart boxes `selector` finds, in document order. */
const states = (page: Page, selector: string) => page.evaluate<string[]>(`[...document.querySelectorAll(${JSON.stringify(selector)})].map((n) => n.getAttribute('data-state'))`);

/** Hovers the timeline row of `id` and returns the tooltip's text. */
async function hoverRow(page: Page, id: string): Promise<string> {
  const canvas = page.locator('.waterfall-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const y = await page.evaluate<number>(`window.__roundTimeline.rowY(${JSON.stringify(id)})`);
  await page.mouse.move(box.x + 100, box.y + y);
  await page.waitForSelector('.waterfall-tip:not([hidden])');
  return (await page.locator('.waterfall-tip').textContent()) ?? '';
}

describe.skipIf(!!NO_BROWSER)('statecharts and round timeline in a browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('live: counts per state, the selected state lit, hover and click on the timeline; then replay', async () => {
    const slow = gate();
    const registry = registryOf(
      recordingType('web', []),
      recordingType('slow', [], { behaviour: { do: 'custom', fn: async (type, service, ctx) => (await slow.wait(ctx.signal), type.reportScore(service, 0, `no banner from ${service.name}`)) } }),
    );
    const competition = secretCompetition(TEAMS, [{ name: 'www', type: 'web' }, { name: 'ssh', type: 'slow', timeoutMs: 60_000 }]);
    const engine = createEngine({ registry, store: new MemoryStore() });
    const hub = new InspectionHub(engine, { tickMs: 200 });
    const recordingFile = join(dir, 'scan.jsonl');
    const recording = recordInspection(hub.messages$, recordingFile);
    const web = await startWebServer({ tokens: TOKENS, hub, charts: engineCharts() });
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
      await page.waitForSelector('[data-chart=check] .chart-state[data-state=checking]');
      const handle = engine.scan(competition);
      // Three ssh checks wait on the gate in `checking`; three www checks ended.
      const count = (chart: string, state: string) => page.locator(`[data-chart=${chart}] .chart-state[data-state=${state}] .chart-count`).textContent();
      await expect.poll(() => count('check', 'checking'), POLL).toBe(`${TEAMS} actors`);
      await expect.poll(() => count('check', 'ended'), POLL).toBe(`${TEAMS} actors`);
      await expect.poll(() => count('team', 'running'), POLL).toBe(`${TEAMS} actors`);
      expect(await count('scan', 'running')).toBe('1 actor');
      // Every state of the team machine is drawn, `any state → stopped` included.
      expect((await states(page, '[data-chart=team] .chart-state')).sort()).toEqual(['*', 'done', 'running', 'starting', 'stopped']);

      // A click on a state selects the actor longest in it; its state is lit on the chart.
      await page.click('[data-chart=check] .chart-state[data-state=checking]');
      await expect.poll(() => page.locator('#detail dd').first().textContent(), POLL).toMatch(/^scan-1\/team-\d\/ssh$/);
      await page.waitForSelector('[data-chart=check] .chart-state.lit[data-state=checking]');
      expect(await states(page, '[data-chart=check] .chart-state.visited')).toEqual(['started', 'resolving', 'preCheck']);

      // The timeline: a team row and a row per check; hover names the phases.
      await expect.poll(() => page.evaluate('window.__roundTimeline.rows'), POLL).toBe(TEAMS * 3);
      const running = await hoverRow(page, 'scan-1/team-2/ssh');
      expect(running).toContain('Team 2 · ssh');
      expect(running).toContain('checking');
      expect(running).toContain('state checking for');

      slow.open();
      await handle.summary;
      await expect.poll(() => count('check', 'ended'), POLL).toBe(`${2 * TEAMS} actors`);
      const ended = await hoverRow(page, 'scan-1/team-2/ssh');
      expect(ended).toContain('down: no banner from ssh');
      for (const phase of ['resolving', 'preCheck', 'checking', 'postCheck']) expect(ended).toContain(phase);
      await expect.poll(() => page.locator('.waterfall-summary').textContent(), POLL).toMatch(/^round 1: [\d.]+ (ms|s) · 6 checks · 3 downSlowest team: Team \d/);
      // Click opens the actor.
      await hoverRow(page, 'scan-1/team-3/www');
      await page.mouse.down();
      await page.mouse.up();
      await expect.poll(() => page.locator('#detail dd').first().textContent(), POLL).toBe('scan-1/team-3/www');
      await page.waitForSelector('[data-actor-id="scan-1/team-3/www"].selected');
    } finally {
      slow.open();
      await page.close();
      await recording.close();
      await web.close();
    }

    // Replay: the same timeline from the recording, at its end.
    const replay = await startWebServer({ tokens: TOKENS, recording: await readRecording(recordingFile), charts: engineCharts() });
    const rp = await browser!.context.newPage();
    try {
      await rp.goto(`${replay.url}/inspector.html?token=${SECRETS.adminToken}`);
      await rp.waitForSelector('#timeline:not([hidden])');
      await rp.click('#last');
      await expect.poll(() => rp.evaluate('window.__roundTimeline.rows'), POLL).toBe(TEAMS * 3);
      expect(await hoverRow(rp, 'scan-1/team-1/ssh')).toContain('down: no banner from ssh');
      await expect.poll(() => rp.locator('[data-chart=check] .chart-state[data-state=ended] .chart-count').textContent(), POLL).toBe(`${2 * TEAMS} actors`);
    } finally {
      await rp.close();
      await replay.close();
    }
  });

  test('10,000 checks through the real hub: frame times of the timeline (printed, not asserted)', async () => {
    const TEAMS_10K = 500;
    const SERVICES = 20;
    const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    const registry = registryOf(recordingType('spread', [], { behaviour: { do: 'custom', fn: async (t, s, ctx) => (await sleep(20 + (hash(s.id) % 400), ctx.signal), t.reportScore(s, s.points, hash(s.id) % 9 === 0 ? 'connection refused' : null)) } }));
    const competition = secretCompetition(TEAMS_10K, Array.from({ length: SERVICES }, (_, i) => ({ name: `svc${String(i + 1).padStart(2, '0')}`, type: 'spread' })));
    const engine = createEngine({ registry, store: new MemoryStore(), concurrency: 1000 });
    const hub = new InspectionHub(engine);
    const web = await startWebServer({ tokens: TOKENS, hub, charts: engineCharts() });
    const page = await browser!.context.newPage();
    try {
      await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
      await page.waitForSelector('[data-chart=check] .chart-state');
      const summary = await engine.scan(competition).summary;
      expect(summary.checks).toBe(TEAMS_10K * SERVICES);
      await expect.poll(() => page.evaluate('window.__roundTimeline.rows'), { timeout: 120_000, interval: 500 }).toBe(TEAMS_10K * (SERVICES + 1));
      // Scroll the timeline every frame for 3 s; measure frame intervals and draw times.
      const measured = await page.evaluate<{ gaps: number[]; draws: number[] }>(`new Promise((resolve) => {
        const scroller = document.querySelector('.waterfall-scroll');
        const stats = window.__roundTimeline;
        stats.drawMs.length = 0;
        const gaps = [];
        let last = performance.now();
        const end = last + 3000;
        const step = (t) => {
          gaps.push(t - last);
          last = t;
          scroller.scrollTop = (scroller.scrollTop + 997) % (scroller.scrollHeight - scroller.clientHeight);
          if (t < end) requestAnimationFrame(step);
          else resolve({ gaps, draws: stats.drawMs.slice() });
        };
        requestAnimationFrame(step);
      })`);
      const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
      const figure = {
        checks: summary.checks,
        frames: measured.gaps.length,
        frameMsMedian: +q(measured.gaps, 0.5).toFixed(1),
        frameMsP95: +q(measured.gaps, 0.95).toFixed(1),
        drawMsMedian: +q(measured.draws, 0.5).toFixed(2),
        drawMsP95: +q(measured.draws, 0.95).toFixed(2),
        drawMsMax: +Math.max(...measured.draws).toFixed(2),
      };
      console.log(`round timeline at ${summary.checks} checks: ${JSON.stringify(figure)}`);
      expect(measured.draws.length).toBeGreaterThan(10);
    } finally {
      await page.close();
      await web.close();
    }
  }, 240_000);
});
