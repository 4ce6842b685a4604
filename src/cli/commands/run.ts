/**
 * `scorekeeper run --config F`: a round every interval (± jitter) until stopped (the loop
 * is run-loop.ts). The heavy modules (engine, checks, database) load after `--serve`'s
 * port is bound, so a busy port fails at once.
 */
import { intOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logFormatOption } from '../log-options.js';
import { STORE_OPTIONS } from '../store-options.js';
import { bindPort } from '../../web/bind-port.js';

/** Help text of `run`. */
export const RUN_HELP = `Usage: scorekeeper run --config FILE [--rounds N] [--record FILE] [--distributed] [--serve [PORT]] [--data DIR] [--log-file F] [--log-format X] [--quiet]

Runs a scan every interval (plus a random jitter), as set in the competition file,
until stopped. Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed, the SSH session
dropped) finishes the round in flight and saves it; a second signal stops the round at
once. When stdout is a terminal, a live progress line shows the round in flight
(checks done/total, up, down, timed out, the slowest check still running) and, between
rounds, when the next one starts.

  --rounds N      stop after N rounds
  --record FILE   write the inspection stream (sanitized) to FILE, for 'scorekeeper replay'
  --distributed   run the checks on scanners ('scorekeeper scanner') through the
                  queue on DATABASE_URL (also: scan.distributed in the file)
  --serve [PORT]  serve the visualizer on 127.0.0.1:PORT (default: a free port), see 'serve'
  --data DIR      data folder of the embedded database (default .scorekeeper)
${LOG_OPTIONS_HELP}
  --quiet         no info log lines on stderr and no results tables: one summary line
                  per round (warnings, errors and the progress line still show)`;

/** `--serve` with no value means "any free port": give parseArgs the value it needs. */
function withServeDefault(argv: readonly string[]): string[] {
  const args = [...argv];
  const i = args.indexOf('--serve');
  if (i >= 0 && (i + 1 >= args.length || args[i + 1]!.startsWith('-'))) args.splice(i + 1, 0, '0');
  return args;
}

/** Runs `run`. */
export async function runCommand(argv: readonly string[], out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const { values } = parseCommandArgs('run', withServeDefault(argv), {
    config: { type: 'string', short: 'c' },
    rounds: { type: 'string' },
    ...LOG_OPTIONS,
    record: { type: 'string' },
    distributed: { type: 'boolean' },
    serve: { type: 'string' },
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${RUN_HELP}\n`), 0;
  if (!values.config) throw new UsageError("run: --config FILE is required; see 'scorekeeper run --help'");
  const rounds = intOption('run', 'rounds', values.rounds, 1);
  const logFormat = logFormatOption('run', values['log-format']);
  const servePort = intOption('run', 'serve', values.serve, 0);
  if (servePort !== undefined && servePort > 65535) throw new UsageError(`run: --serve port must be 0..65535, got ${servePort}`);
  // The port first: a busy one is known in milliseconds, before the database starts.
  const bound = servePort !== undefined ? await bindPort(servePort, '127.0.0.1', '--serve') : undefined;
  const [{ openEngineCommand }, { flushLogs }, { createEngine }, { startVisualizer }, { runLoop }] = await Promise.all([
    import('../context.js'),
    import('../cli-logger.js'),
    import('../../engine.js'),
    import('../../web/start-visualizer.js'),
    import('../run-loop.js'),
  ]);
  const { commandEngineOptions, startDistributedMode } = await import('../distributed-mode.js');
  let distributed: Awaited<ReturnType<typeof startDistributedMode>>;
  const { loaded, registry, logger, store } = await openEngineCommand('run', {
    configPath: values.config,
    dataDir: values.data,
    distributed: values.distributed,
    log: { logFile: values['log-file'], format: logFormat, quiet: values.quiet === true },
    onFailure: () => bound?.close(),
  });
  try {
    distributed = await startDistributedMode(values.distributed, loaded, registry, logger);
    const engine = createEngine(commandEngineOptions({ registry, store, logger }, loaded.settings, distributed));
    const visualizer =
      bound || values.record
        ? await startVisualizer({
            engine,
            competition: loaded.competition,
            registry,
            tokens: loaded.tokens,
            ...(bound ? { bound } : {}),
            ...(values.record ? { record: values.record } : {}),
            ...(distributed ? { scanners: () => distributed!.host.refreshScanners() } : {}),
          })
        : undefined;
    try {
      for (const line of visualizer?.describe() ?? []) out.write(`${line}\n`);
      await runLoop({
        ...(distributed ? { beforeRound: () => distributed!.beforeRound(out) } : {}),
        engine,
        competition: loaded.competition,
        intervalMs: loaded.settings.intervalMs,
        jitterMs: loaded.settings.jitterMs,
        out,
        onNextRound: (next) => visualizer?.hub.setNextRound(next),
        onHealth: (health) => visualizer?.hub.setHealth(health),
        flushLogs: () => flushLogs(logger),
        ...(rounds !== undefined ? { rounds } : {}),
        ...(values.quiet ? { quiet: true } : {}),
      });
    } finally {
      await visualizer?.close();
    }
    return 0;
  } finally {
    await distributed?.close();
    await store.close();
  }
}
