/** `scorekeeper scanners`: the scanners registry of a distributed competition (src/scale-out). */
import { parseCommandArgs } from '../args.js';
import { cliLogger } from '../cli-logger.js';
import { distributedDatabaseUrl } from '../distributed-mode.js';
import { renderTable } from '../table.js';

/** Help text of `scanners`. */
export const SCANNERS_HELP = `Usage: scorekeeper scanners [--json]

Lists the scanners of the distributed competition on DATABASE_URL heard from in the last
hour: zone, alive, checks held, event-loop lag, last heard.

  --json   one JSON document on stdout: { scanners: [...] }`;

/** Runs `scanners`. */
export async function scannersCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('scanners', argv, { json: { type: 'boolean' } });
  if (values.help) return void out.write(`${SCANNERS_HELP}\n`), 0;
  const databaseUrl = distributedDatabaseUrl();
  const [{ openQueue }, { listScanners }] = await Promise.all([import('../../scale-out/open-queue.js'), import('../../scale-out/scanners-registry.js')]);
  const boss = await openQueue(databaseUrl, 'scanner', cliLogger({ level: 'error' }));
  try {
    const scanners = await listScanners(boss);
    if (values.json) {
      out.write(`${JSON.stringify({ scanners })}\n`);
      return 0;
    }
    if (scanners.length === 0) {
      out.write('no scanner heard from in the last hour\n');
      return 0;
    }
    const now = Date.now();
    out.write(
      `${renderTable(
        ['scanner', 'zone', 'alive', 'held', 'concurrency', 'ran', 'lag ms', 'last heard'],
        scanners.map((s) => [s.id, s.zone ?? '(any)', s.alive ? 'yes' : s.stopping ? 'stopping' : 'no', s.held, s.concurrency, s.ran, s.lagMs.toFixed(1), `${Math.max(0, Math.round((now - s.heardAt) / 1000))} s ago`]),
      )}\n`,
    );
    return 0;
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
  }
}
