/**
 * The inspector's Scanners panel (distributed mode): the admin sees each scanner's zone,
 * state, checks held, lag and last heard; a team's page does not show the panel.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEngine } from '../../src/engine.js';
import { InspectionHub } from '../../src/inspection/inspection-hub.js';
import { ServiceRegistry } from '../../src/registry.js';
import type { ScannerInfo } from '../../src/scale-out/scanners-registry.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startWebServer, type WebServer } from '../../src/web/web-server.js';
import { NO_BROWSER, SECRETS, TOKENS, launchBrowser } from './support.js';

const now = Date.now();
const scanners: ScannerInfo[] = [
  { id: 'scan-dmz-1', zone: 'dmz', host: 'a', pid: 1, concurrency: 500, held: 12, ran: 340, lagMs: 3, startedAt: now - 60_000, heardAt: now - 1_000, alive: true, stopping: false },
  { id: 'scan-any-1', zone: undefined, host: 'b', pid: 2, concurrency: 200, held: 0, ran: 77, lagMs: 9, startedAt: now - 90_000, heardAt: now - 40_000, alive: false, stopping: false },
];

let browser: Awaited<ReturnType<typeof launchBrowser>> | undefined;
let web: WebServer | undefined;

describe.skipIf(!!NO_BROWSER)('the inspector’s Scanners panel', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    const hub = new InspectionHub(createEngine({ registry: new ServiceRegistry(), store: new MemoryStore() }), { tickMs: 0 });
    web = await startWebServer({ tokens: TOKENS, hub, scanners: async () => scanners });
  });
  afterAll(async () => {
    await web?.close();
    await browser?.close();
  });

  test('the admin sees one row per scanner with its zone, state, load and lag', async () => {
    const page = await browser!.context.newPage();
    await page.goto(`${web!.url}/inspector.html?token=${SECRETS.adminToken}`);
    await page.waitForSelector('#scanners tr[data-scanner="scan-dmz-1"]');
    expect(await page.isVisible('#scanners')).toBe(true);
    const cells = (id: string): Promise<string[]> => page.locator(`#scanners tr[data-scanner="${id}"] td`).allTextContents();
    expect(await cells('scan-dmz-1')).toEqual(['scan-dmz-1', 'dmz', 'alive', '12 / 500', '340', '3 ms', expect.stringMatching(/ ago$/)]);
    expect((await cells('scan-any-1')).slice(0, 3)).toEqual(['scan-any-1', '(any)', 'gone']);
    await page.close();
  });

  test('a team’s page has no Scanners panel', async () => {
    const context = browser!.context;
    await context.clearCookies();
    const page = await context.newPage();
    await page.goto(`${web!.url}/inspector.html?token=${SECRETS.team1Token}`);
    await page.waitForSelector('#connection');
    await page.waitForFunction('document.getElementById("connection").textContent === "connected"');
    expect(await page.isVisible('#scanners')).toBe(false);
    await page.close();
  });
});
