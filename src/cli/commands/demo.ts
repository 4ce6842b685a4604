/**
 * `scorekeeper demo`: the first thing a newcomer runs. Local demo services for three
 * teams, a few rounds against them on the embedded database, and where to look next.
 * Writes nothing outside its data folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { createEngine } from '../../engine.js';
import { loadCompetitionFile } from '../../config/index.js';
import { demoCompetitionYaml, startDemoServices } from '../../demo/demo-services.js';
import { intOption, parseCommandArgs } from '../args.js';
import { cliLogger } from '../cli-logger.js';
import { DEFAULT_DATA_DIR, STORE_OPTIONS, openCliStore, registryFor } from '../context.js';
import { PRIVATE_DIR_MODE } from '../../private-files.js';
import { renderTable } from '../table.js';
import { runLoop } from '../run-loop.js';
import { STOP_SIGNALS } from '../stop-signals.js';
import { startVisualizer } from '../../web/start-visualizer.js';

/** Help text of `demo`. */
export const DEMO_HELP = `Usage: scorekeeper demo [--rounds N] [--port P] [--data DIR]

Starts demo services for three teams on 127.0.0.1-3 (healthy, defaced, down, hanging),
runs N rounds (default 3) against them on the embedded database in DIR (default
.scorekeeper), and prints the results and scores. Each run is a competition of its own
(demo-DATE-TIME), starting at round 1. Check log lines go to
DIR/demo/checks.log. While the rounds run, the visualizer is served on
127.0.0.1:P (default: a free port); its address, with an admin token made for this run,
is printed first. In a terminal the visualizer stays open after the rounds until Ctrl-C.`;

/** Runs `demo`. */
export async function demoCommand(argv: readonly string[], out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, { rounds: { type: 'string' }, port: { type: 'string' }, ...STORE_OPTIONS });
  if (values.help) return void out.write(`${DEMO_HELP}\n`), 0;
  const rounds = intOption('demo', 'rounds', values.rounds, 1) ?? 3;
  const port = intOption('demo', 'port', values.port, 0) ?? 0;
  const dataDir = resolve(values.data ?? DEFAULT_DATA_DIR);
  const demoDir = join(dataDir, 'demo');
  // Owner-only like the rest of the data folder, which this may create.
  await mkdir(demoDir, { recursive: true, mode: PRIVATE_DIR_MODE });

  const services = await startDemoServices();
  const logFile = join(demoDir, 'checks.log');
  const logger = cliLogger({ logFile });
  const store = await openCliStore(dataDir, { logger, engineCommand: 'demo' });
  try {
    const configPath = join(demoDir, 'competition.yaml');
    await writeFile(configPath, demoCompetitionYaml(services.ports, rounds));
    const registry = await registryFor(undefined);
    const { competition, settings } = await loadCompetitionFile(configPath, { registry });
    const engine = createEngine({ registry, store, logger, concurrency: settings.concurrency, checkThreads: settings.threads });
    /** Scores so far and where to look next. */
    const report = async () => {
      const scores = await store.scores(competition.name);
      out.write(`\nScores of this demo (${competition.name}):\n`);
      out.write(`${renderTable(['team', 'score', 'uptime'], scores.map((t) => [t.name ?? t.team, `${t.total}/${t.points}`, `${(t.uptime * 100).toFixed(0)}%`]))}\n`);
      const data = values.data ? ` --data ${values.data}` : '';
      out.write(`
Where to look next:
  competition file   ${rel(configPath)}
  check log lines    ${rel(logFile)}
  results            npx scorekeeper results --config ${rel(configPath)}${data}
  scores             npx scorekeeper scores --config ${rel(configPath)}${data}
  export             npx scorekeeper export --config ${rel(configPath)} --format csv${data}
  write your own     docs/custom-checks.md
`);
    };
    out.write(`scorekeeper demo: ${competition.teams.length} teams, ${competition.services.length} services each, ${rounds} rounds\n`);
    for (const line of services.story) out.write(`  ${line}\n`);
    out.write(`  database: ${process.env.DATABASE_URL ? 'DATABASE_URL' : `embedded, in ${rel(dataDir)}`}\n`);
    // The demo file has no tokens: an admin token is made for this run.
    const visualizer = await startVisualizer({ engine, competition, registry, tokens: { admin: undefined, teams: {} }, port });
    for (const line of visualizer.describe()) out.write(`  ${line}\n`);
    out.write('\n');
    try {
      await runLoop({ engine, competition, intervalMs: settings.intervalMs, jitterMs: 0, rounds, out, onNextRound: (next) => visualizer.hub.setNextRound(next), onHealth: (health) => visualizer.hub.setHealth(health) });
      await report();
      // In a terminal, keep the pages up so the newcomer can look at them.
      if (out.isTTY) {
        out.write(`\nThe visualizer stays open at the address above: press Ctrl-C to stop.\n`);
        await new Promise<void>((resolve) => {
          for (const signal of STOP_SIGNALS) process.once(signal, () => resolve());
        });
      }
    } finally {
      await visualizer.close();
    }
    return 0;
  } finally {
    await store.close();
    await services.close();
  }
}

function rel(path: string): string {
  const r = relative(process.cwd(), path);
  return r.startsWith('..') ? path : r || '.';
}
