#!/usr/bin/env node
/**
 * `scorekeeper`: the command line. One command per file in commands/; errors are one
 * clear line on stderr (with --debug, a stack trace) and a meaningful exit code.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError, describeError, exitCodeOf } from './cli-error.js';
import { exitWhenDone } from './exit-when-done.js';

type Command = (argv: readonly string[], out: NodeJS.WriteStream) => Promise<number>;

/** Every command, loaded on first use (so `--help` does not load the database). */
export const COMMANDS: Record<string, { load: () => Promise<Command>; summary: string }> = {
  demo: { load: async () => (await import('./commands/demo.js')).demoCommand, summary: 'run demo services for three teams and score a few rounds (start here)' },
  scan: { load: async () => (await import('./commands/scan.js')).scanCommand, summary: 'run one scan of a competition and print the results' },
  run: { load: async () => (await import('./commands/run.js')).runCommand, summary: 'run a scan every interval until stopped' },
  checks: { load: async () => (await import('./commands/checks.js')).checksCommand, summary: 'list the registered check types' },
  plan: { load: async () => (await import('./commands/plan.js')).planCommand, summary: 'print what a round costs: checks, CPU, concurrency and threads needed' },
  results: { load: async () => (await import('./commands/results.js')).resultsCommand, summary: 'print stored check results' },
  scores: { load: async () => (await import('./commands/scores.js')).scoresCommand, summary: 'print per-team totals and uptime' },
  export: { load: async () => (await import('./commands/export.js')).exportCommand, summary: 'export stored results as CSV or JSON' },
  pcr: { load: async () => (await import('./commands/pcr.js')).pcrCommand, summary: "record a team's password change (applies next round)" },
  report: { load: async () => (await import('./commands/report.js')).reportCommand, summary: 'file the score of an external service for this round' },
  migrate: { load: async () => (await import('./commands/migrate.js')).migrateCommand, summary: 'apply database migrations' },
  recover: { load: async () => (await import('./commands/recover.js')).recoverCommand, summary: 'import a recovery file of results the database could not take' },
  serve: { load: async () => (await import('./commands/serve.js')).serveCommand, summary: 'run rounds like run and serve the visualizer (inspector, scanner page)' },
  scanner: { load: async () => (await import('./commands/scanner.js')).scannerCommand, summary: 'join a distributed competition and run the checks it queues (docs/scale-out.md)' },
  scanners: { load: async () => (await import('./commands/scanners.js')).scannersCommand, summary: 'list the scanners of a distributed competition' },
  stuck: { load: async () => (await import('./commands/stuck.js')).stuckCommand, summary: 'list stuck checks of a running engine (from its visualizer API)' },
  replay: { load: async () => (await import('./commands/replay.js')).replayCommand, summary: 'serve the inspector over a recording made with --record' },
};

/** Top-level help. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return `Usage: scorekeeper <command> [options]

Scoring engine for cyber-defense competitions.

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  .join('\n')}

Every command takes --help. Storage: DATABASE_URL (PostgreSQL), else an embedded
database in --data DIR (default .scorekeeper).`;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], out: NodeJS.WriteStream = process.stdout, err: NodeJS.WriteStream = process.stderr): Promise<number> {
  const [name, ...rest] = argv;
  const debug = rest.includes('--debug');
  try {
    if (!name || name === '--help' || name === '-h' || name === 'help') {
      out.write(`${mainHelp()}\n`);
      return name ? 0 : 2;
    }
    const command = COMMANDS[name];
    if (!command) throw new UsageError(`unknown command '${name}'; see 'scorekeeper --help'`);
    const run = await command.load();
    return await run(rest, out);
  } catch (e) {
    err.write(`scorekeeper: ${describeError(e, debug)}\n`);
    return exitCodeOf(e);
  }
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // Exits once the command is done, whatever a plugin left running (exit-when-done.ts).
  main(process.argv.slice(2)).then(
    (code) => exitWhenDone(code),
    (e: unknown) => {
      process.stderr.write(`scorekeeper: ${String(e)}\n`);
      return exitWhenDone(1);
    },
  );
}
