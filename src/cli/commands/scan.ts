/** `scorekeeper scan --config F [--json]`: one scan, then a table (or one JSON document). */
import { createEngine } from '../../engine.js';
import type { CheckResult, ScanSummary } from '../../types.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { cliLogger, flushLogs } from '../cli-logger.js';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logFormatOption } from '../log-options.js';
import { STORE_OPTIONS, loadConfig, openCliStore } from '../context.js';
import { commandEngineOptions, distributedDatabaseUrl, startDistributedMode, wantsDistributed, type DistributedMode } from '../distributed-mode.js';
import { clip, renderTable } from '../table.js';

/** Help text of `scan`. */
export const SCAN_HELP = `Usage: scorekeeper scan --config FILE [--json] [--quiet] [--distributed] [--data DIR] [--log-file F] [--log-format X]

Runs one scan (round) of every team's services, stores the results, and prints a table
of teams x services with score and error.

  --config FILE   competition file (YAML)
  --json          print exactly one JSON document on stdout: { scan, results }
  --distributed   run the checks on scanners ('scorekeeper scanner') through the
                  queue on DATABASE_URL (also: scan.distributed in the file)
  --data DIR      data folder of the embedded database (default .scorekeeper);
                  ignored when DATABASE_URL is set
${LOG_OPTIONS_HELP}
  --quiet         no info log lines on stderr (warnings and errors still show)
  --debug         stack traces on errors`;

/** The JSON document `scan --json` prints. */
export interface ScanJson {
  readonly scan: ScanSummary & { readonly competition: string };
  readonly results: ReadonlyArray<{
    team: number;
    service: string;
    type: string;
    resolvedType: string | null;
    score: number;
    points: number;
    error: string | null;
    status: string;
    durationMs: number;
    /** The scanner that ran the check (distributed mode only). */
    scanner?: string;
  }>;
}

/** Runs `scan`. */
export async function scanCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('scan', argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' }, distributed: { type: 'boolean' }, ...LOG_OPTIONS, ...STORE_OPTIONS });
  if (values.help) return void out.write(`${SCAN_HELP}\n`), 0;
  if (!values.config) throw new UsageError("scan: --config FILE is required; see 'scorekeeper scan --help'");
  const format = logFormatOption('scan', values['log-format']);
  const { loaded, registry } = await loadConfig(values.config);
  // Before the store opens: without DATABASE_URL it would be the embedded database.
  if (wantsDistributed(values.distributed, loaded)) distributedDatabaseUrl();
  const logger = cliLogger({ logFile: values['log-file'], format, quiet: values.quiet === true });
  const store = await openCliStore(values.data, { logger, engineCommand: 'scan' });
  let distributed: DistributedMode | undefined;
  try {
    distributed = await startDistributedMode(values.distributed, loaded, registry, logger);
    const engine = createEngine(commandEngineOptions({ registry, store, logger }, loaded.settings, distributed));
    await distributed?.beforeRound(process.stderr);
    const handle = engine.scan(loaded.competition, { roundMs: loaded.settings.intervalMs });
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    const summary = await handle.summary;
    await flushLogs(logger);
    results.sort((a, b) => a.team - b.team || a.service.localeCompare(b.service));
    if (values.json) {
      const doc: ScanJson = {
        scan: { ...summary, competition: loaded.competition.name },
        results: results.map((r) => ({
          team: r.team,
          service: r.service,
          type: r.type,
          resolvedType: r.resolvedType ?? null,
          score: r.score,
          points: r.points,
          error: r.error,
          status: r.status,
          durationMs: r.durationMs,
          ...(r.scanner !== undefined ? { scanner: r.scanner } : {}),
        })),
      };
      out.write(`${JSON.stringify(doc)}\n`);
    } else {
      out.write(`${renderResults(results)}\n\n${summaryLine(loaded.competition.name, summary)}\n`);
    }
    return 0;
  } finally {
    await distributed?.close();
    await store.close();
  }
}

/** The teams x services table. */
export function renderResults(results: readonly CheckResult[]): string {
  return renderTable(
    ['team', 'service', 'type', 'score', 'error'],
    results.map((r) => [r.team, r.service, r.resolvedType && r.resolvedType !== r.type ? `${r.type}→${r.resolvedType}` : r.type, r.status === 'interrupted' ? 'interrupted' : `${r.score}/${r.points}`, clip(r.error)]),
  );
}

/** One line about a finished scan. */
export function summaryLine(competition: string, s: ScanSummary): string {
  const issues = s.storeIssues.length ? `; storage problems: ${s.storeIssues.join('; ')}` : '';
  const overload = `${s.rerun > 0 ? `, ${s.rerun} re-run (scanner overloaded)` : ''}${s.overloaded > 0 ? `, ${s.overloaded} not scored (scanner overloaded)` : ''}`;
  const lag = `; event-loop lag p50 ${s.loopLag.p50Ms} ms, p99 ${s.loopLag.p99Ms} ms, max ${s.loopLag.maxMs} ms`;
  return `${competition} round ${s.round}: ${s.checks} checks, ${s.up} up, ${s.down} down (${s.timedOut} timed out)${s.interrupted > 0 ? `, ${s.interrupted} interrupted` : ''}${overload} in ${(s.durationMs / 1000).toFixed(1)} s${lag}${issues}`;
}
