#!/usr/bin/env node
/**
 * `scorekeeper`: the command line. One command per file in commands/; errors are one
 * clear line on stderr (with --debug, a stack trace) and a meaningful exit code.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError, describeError, exitCodeOf } from './cli-error.js';
import { checksCommand } from './commands/checks.js';
import { demoCommand } from './commands/demo.js';
import { exportCommand } from './commands/export.js';
import { migrateCommand } from './commands/migrate.js';
import { pcrCommand } from './commands/pcr.js';
import { reportCommand } from './commands/report.js';
import { resultsCommand } from './commands/results.js';
import { runCommand } from './commands/run.js';
import { scanCommand } from './commands/scan.js';
import { scoresCommand } from './commands/scores.js';

type Command = (argv: readonly string[], out: NodeJS.WriteStream) => Promise<number>;

/** Every command, with its one-line description. */
export const COMMANDS: Record<string, { run: Command; summary: string }> = {
  demo: { run: demoCommand, summary: 'run demo services for three teams and score a few rounds (start here)' },
  scan: { run: scanCommand, summary: 'run one scan of a competition and print the results' },
  run: { run: runCommand, summary: 'run a scan every interval until stopped' },
  checks: { run: checksCommand, summary: 'list the registered check types' },
  results: { run: resultsCommand, summary: 'print stored check results' },
  scores: { run: scoresCommand, summary: 'print per-team totals and uptime' },
  export: { run: exportCommand, summary: 'export stored results as CSV or JSON' },
  pcr: { run: pcrCommand, summary: "record a team's password change (applies next round)" },
  report: { run: reportCommand, summary: 'file the score of an external service for this round' },
  migrate: { run: migrateCommand, summary: 'apply database migrations' },
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
    return await command.run(rest, out);
  } catch (e) {
    err.write(`scorekeeper: ${describeError(e, debug)}\n`);
    return exitCodeOf(e);
  }
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`scorekeeper: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
