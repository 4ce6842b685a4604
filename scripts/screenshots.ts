/**
 * Makes the screenshots of docs/images/ (inspector live, inspector replay, scanner page),
 * the pictures of a real demo round (statecharts, round timeline, scores over rounds,
 * check now: the demo's own local services, src/demo/) and measures the inspector at
 * 100 teams × 20 services. Not a test: run it with
 *   npx tsx scripts/screenshots.ts [shots|demo|perf]
 */
import { writeFileSync } from 'node:fs';
import { loadCompetitionFile } from '../src/config/index.js';
import { registryFor } from '../src/cli/context.js';
import { demoCompetitionYaml, startDemoServices } from '../src/demo/demo-services.js';
import { startVisualizer } from '../src/web/start-visualizer.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createEngine, engineCharts } from '../src/engine.js';
import { InspectionHub } from '../src/inspection/inspection-hub.js';
import { readRecording } from '../src/inspection/read-recording.js';
import { recordInspection } from '../src/inspection/recorder.js';
import type { ServiceType } from '../src/service-type.js';
import { openEmbeddedStore } from '../src/store/embedded.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { CheckContext, Service } from '../src/types.js';
import { startWebServer } from '../src/web/web-server.js';
import { tempDataDir } from '../test/support/pg.js';
import { recordingType, registryOf } from '../test/support/recording-types.js';
import { SECRETS, TOKENS, gate, launchBrowser, secretCompetition } from '../test/visualizer/support.js';

const IMAGES = new URL('../docs/images/', import.meta.url).pathname;
const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), reject(new Error('aborted'))), { once: true });
  });
/** A deterministic "random" per service. */
const hash = (s: string) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);

function types(slow: ReturnType<typeof gate>) {
  const custom = (fn: (type: ServiceType, service: Service, ctx: CheckContext) => Promise<void> | void) => ({ behaviour: { do: 'custom' as const, fn } });
  return registryOf(
    recordingType('http', [], custom(async (t, s, ctx) => (await sleep(50 + (hash(s.id) % 400), ctx.signal), hash(s.id) % 5 === 0 ? t.reportScore(s, 0, `HTTP 200 from /, but 'Welcome' not found in 32 bytes`) : t.reportScore(s, s.points, null)))),
    recordingType('ssh', [], custom(async (t, s, ctx) => (await slow.wait(ctx.signal), t.reportScore(s, s.points, null)))),
    recordingType('dns', [], { behaviour: { do: 'hang' } }),
    recordingType('smtp', [], custom((t, s) => t.reportScore(s, 0, `connection refused by 10.${s.team.number}.1.25:25`))),
    recordingType('ftp', [], custom(async (t, s, ctx) => (await sleep(100 + (hash(s.id) % 300), ctx.signal), t.reportScore(s, s.points, null)))),
  );
}

async function shots(): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  const browser = await launchBrowser();
  const dir = mkdtempSync(join(tmpdir(), 'sk-shots-'));
  try {
    // Inspector, live, with stuck checks.
    const slow = gate();
    const registry = types(slow);
    const competition = secretCompetition(8, [
      { name: 'www', type: 'http' },
      { name: 'ssh', type: 'ssh', timeoutMs: 60_000 },
      { name: 'dns', type: 'dns', timeoutMs: 60_000 },
      { name: 'mail', type: 'smtp' },
      { name: 'ftp', type: 'ftp' },
    ]);
    let offset = 0;
    const engine = createEngine({ registry, store: new MemoryStore() });
    const hub = new InspectionHub(engine, { now: () => Date.now() + offset, tickMs: 250 });
    const recordingFile = join(dir, 'scan.jsonl');
    const recording = recordInspection(hub.messages$, recordingFile);
    const web = await startWebServer({ tokens: TOKENS, hub, charts: engineCharts() });
    const handle = engine.scan(competition);
    const page = await browser.context.newPage();
    await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
    await page.waitForSelector('[data-actor-id="scan-1/team-8/ftp"][data-state=ended]');
    // The ssh checks end; the dns checks hang past their deadline.
    slow.open();
    await page.waitForSelector('[data-actor-id="scan-1/team-8/ssh"][data-state=ended]');
    offset = 64_000;
    await page.waitForSelector('#stuck tbody tr');
    await page.click('[data-actor-id="scan-1/team-3/www"] .label');
    await page.waitForSelector('#detail .timings');
    await page.screenshot({ path: join(IMAGES, 'inspector.png'), fullPage: true });
    handle.stop('screenshot taken');
    await handle.summary;
    await page.close();
    await recording.close();
    await web.close();

    // Replay of that scan, halfway.
    const replay = await startWebServer({ tokens: TOKENS, recording: await readRecording(recordingFile) });
    const rp = await browser.context.newPage();
    await rp.goto(`${replay.url}/inspector.html?token=${SECRETS.adminToken}`);
    await rp.waitForSelector('#timeline:not([hidden])');
    const max = Number(await rp.locator('#slider').getAttribute('max'));
    await rp.locator('#slider').fill(String(Math.floor(max * 0.45)));
    await rp.waitForSelector('.actor.kind-check');
    await rp.click('[data-actor-id="scan-1/team-2/mail"] .label');
    await rp.screenshot({ path: join(IMAGES, 'inspector-replay.png'), fullPage: false });
    await rp.close();
    await replay.close();

    // Scanner page over the embedded store after three rounds.
    const dataDir = await tempDataDir({ initialized: true });
    const store = await openEmbeddedStore({ dataDir });
    try {
      const done = gate();
      done.open();
      const reg = types(done);
      const comp = secretCompetition(6, [
        { name: 'www', type: 'http' },
        { name: 'ssh', type: 'ssh', timeoutMs: 2000 },
        { name: 'mail', type: 'smtp' },
        { name: 'ftp', type: 'ftp' },
      ]);
      const eng = createEngine({ registry: reg, store });
      for (let i = 0; i < 3; i++) await eng.scan(comp).summary;
      const server = await startWebServer({ tokens: TOKENS, hub: new InspectionHub(eng), competition: comp, store, registry: reg });
      const sp = await browser.context.newPage();
      await sp.goto(`${server.url}/scanner.html?token=${SECRETS.adminToken}`);
      await sp.waitForSelector('#grid tbody tr');
      await sp.click('td.cell[data-team="2"][data-service=www] .cell-button');
      await sp.waitForSelector('#history tr.down, #history tr.up');
      await sp.click('td.cell[data-team="4"][data-service=mail] .check-now');
      await sp.waitForSelector("#check-now-card .check-now-steps li");
      await sp.screenshot({ path: join(IMAGES, 'scanner.png'), fullPage: true });
      await sp.close();
      const tp = await browser.context.newPage();
      await tp.context().clearCookies();
      await tp.goto(`${server.url}/scanner.html?token=${SECRETS.team1Token}`);
      await tp.waitForSelector('#grid tbody tr');
      await tp.screenshot({ path: join(IMAGES, 'scanner-team.png'), fullPage: true });
      await tp.close();
      await server.close();
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** 100 teams × 20 services through the live inspector: SSE messages, long tasks, lag. */
async function perf(): Promise<void> {
  const TEAMS = 100;
  const SERVICES = 20;
  const registry = registryOf(
    recordingType('spread', [], {
      behaviour: { do: 'custom', fn: async (t, s, ctx) => (await sleep(200 + (hash(s.id) % 4000), ctx.signal), t.reportScore(s, s.points, hash(s.id) % 7 === 0 ? 'connection refused' : null)) },
    }),
  );
  const competition = secretCompetition(TEAMS, Array.from({ length: SERVICES }, (_, i) => ({ name: `svc${String(i + 1).padStart(2, '0')}`, type: 'spread' })));
  const engine = createEngine({ registry, store: new MemoryStore(), concurrency: 2000 });
  const hub = new InspectionHub(engine);
  let messages = 0;
  const counter = hub.messages$.subscribe(() => messages++);
  const web = await startWebServer({ tokens: TOKENS, hub });
  const browser = await launchBrowser();
  try {
    const page: Page = await browser.context.newPage();
    await page.goto(`${web.url}/inspector.html?token=${SECRETS.adminToken}`);
    await page.waitForSelector('#diagram li');
    await page.evaluate(`window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(Math.round(e.duration), Math.round(e.startTime - (window.__t0 || 0))); }).observe({ type: 'longtask', buffered: true });`);
    const cdp = process.env.PROFILE ? await page.context().newCDPSession(page) : undefined;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    await page.evaluate('window.__t0 = performance.now()');
    const t0 = Date.now();
    const handle = engine.scan(competition);
    const summary = await handle.summary;
    const scanMs = Date.now() - t0;
    await page.waitForFunction(`document.getElementById('count-ended').textContent === '${TEAMS * SERVICES}'`, undefined, { timeout: 60_000 });
    const lagMs = Date.now() - t0 - scanMs;
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      const self = new Map<string, number>();
      const dt = new Map<number, number>();
      profile.nodes.forEach((n) => dt.set(n.id, 0));
      (profile.samples ?? []).forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
      for (const n of profile.nodes) {
        const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
        self.set(key, (self.get(key) ?? 0) + (dt.get(n.id) ?? 0) / 1000);
      }
      console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `${v.toFixed(0)} ms  ${k}`).join('\n'));
    }
    const pairs = await page.evaluate<number[]>('window.__long');
    const long = pairs.filter((_, i) => i % 2 === 0);
    console.log('long tasks [ms, at ms]:', JSON.stringify(pairs.flatMap((d, i) => (i % 2 === 0 ? [[d, pairs[i + 1]]] : []))));
    const rows = await page.locator('.actor').count();
    const total = long.reduce((a, b) => a + b, 0);
    console.log(
      JSON.stringify({
        teams: TEAMS, services: SERVICES, checks: summary.checks, scanMs, hubMessages: messages, domRows: rows, pageLagAfterScanMs: lagMs,
        longTasks: long.length, longTaskMaxMs: Math.round(Math.max(0, ...long)), longTaskTotalMs: Math.round(total),
      }),
    );
  } finally {
    counter.unsubscribe();
    await browser.close();
    await web.close();
  }
}

/**
 * Three rounds of `scorekeeper demo`'s own services (healthy, defaced, down, hanging) on
 * the embedded store, served by startVisualizer as `demo` serves them; screenshots of
 * each picture, element by element (small files).
 */
async function demoPictures(): Promise<void> {
  mkdirSync(IMAGES, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'sk-demo-shots-'));
  const services = await startDemoServices();
  const dataDir = await tempDataDir({ initialized: true });
  const store = await openEmbeddedStore({ dataDir });
  const browser = await launchBrowser();
  try {
    const configPath = join(dir, 'competition.yaml');
    writeFileSync(configPath, demoCompetitionYaml(services.ports, 3));
    const registry = await registryFor(undefined);
    const { competition } = await loadCompetitionFile(configPath, { registry });
    const engine = createEngine({ registry, store });
    const visualizer = await startVisualizer({ engine, competition, registry, tokens: { admin: SECRETS.adminToken, teams: { 1: SECRETS.team1Token } }, port: 0 });
    const url = visualizer.web!.url;
    const page = await browser.context.newPage();
    await page.goto(`${url}/inspector.html?token=${SECRETS.adminToken}`);
    await page.waitForSelector('[data-chart=check] .chart-state');
    for (let round = 1; round <= 3; round++) await engine.scan(competition).summary;
    // (Polled with evaluate: the page's CSP refuses waitForFunction's string eval.)
    for (let i = 0; i < 100 && !(await page.evaluate<boolean>(`window.__roundTimeline.rows > 0 && !document.querySelector('.waterfall-summary').textContent.includes('so far')`)); i++) await page.waitForTimeout(100);
    // The hanging service's check, selected: its path lit on the check chart.
    const hung = await page.evaluate<string | undefined>(`[...document.querySelectorAll('.actor.kind-check')].map((r) => r.dataset.actorId).find((id) => id.startsWith('scan-3/') && id.endsWith('/api'))`);
    if (hung) await page.click(`[data-actor-id="${hung}"] .label`);
    const box = (await page.locator('.waterfall-canvas').boundingBox())!;
    const y = await page.evaluate<number>(`window.__roundTimeline.rowY(${JSON.stringify(hung ?? '')}) || 60`);
    await page.locator('#round-timeline').scrollIntoViewIfNeeded();
    await page.mouse.move(box.x + box.width * 0.6, box.y + y);
    await page.waitForTimeout(300);
    await page.locator('#round-timeline').screenshot({ path: join(IMAGES, 'round-timeline.png') });
    await page.locator('#charts').screenshot({ path: join(IMAGES, 'statecharts.png') });
    await page.close();

    const sp = await browser.context.newPage();
    await sp.goto(`${url}/scanner.html?token=${SECRETS.adminToken}`);
    await sp.waitForSelector('#score-chart canvas');
    await sp.waitForSelector('#strips tr[data-service]');
    await sp.locator('main').screenshot({ path: join(IMAGES, 'scanner-rounds.png') });
    await sp.click('td.cell[data-team="2"][data-service=web] .check-now');
    await sp.waitForSelector('.check-now-card .chart-state.lit');
    await sp.locator('.check-now-card').screenshot({ path: join(IMAGES, 'check-now.png') });
    await sp.close();
    await visualizer.close();
    await engine.close();
  } finally {
    await browser.close();
    await store.close();
    await services.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

const mode = process.argv[2] ?? 'shots';
await (mode === 'perf' ? perf() : mode === 'demo' ? demoPictures() : shots().then(demoPictures));
