/**
 * `scorekeeper serve --config F`: runs rounds like `run` and serves the visualizer (the
 * live inspector and the service scanner page) on 127.0.0.1 while it does.
 */
import { intOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { LOG_OPTIONS, LOG_OPTIONS_HELP, logFormatOption } from '../log-options.js';
import { STORE_OPTIONS } from '../store-options.js';
import { bindPort } from '../../web/bind-port.js';
import { assertSafeBind, createWebServerSocket } from '../../web/server-socket.js';
import { readWebSection, webServeOptions } from '../web-serve-options.js';

/** Default port of `serve`. */
export const DEFAULT_SERVE_PORT = 8080;

/** Help text of `serve`. */
export const SERVE_HELP = `Usage: scorekeeper serve --config FILE [--port P] [--host H] [--tls-cert F --tls-key F] [--insecure-http] [--secure-cookie] [--allow-host NAMES] [--rounds N] [--record FILE] [--distributed] [--data DIR] [--log-file F] [--log-format X] [--quiet]

Runs a scan every interval, like 'run', and serves the visualizer while it does: the
live inspector (admin) and the service scanner page (admin: every team, with "check
now"; a team token: its own row, messages and password changes). Tokens come from the
'tokens' section of the competition file; without tokens.admin one is made and printed.

  --port P        port (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host H        address to bind (default 127.0.0.1); any other than loopback needs TLS
                  or --insecure-http
  --tls-cert F    PEM certificate: serve HTTPS (with --tls-key; or web.tlsCert in the file)
  --tls-key F     PEM private key of that certificate (or web.tlsKey)
  --insecure-http allow plain HTTP on a non-loopback address (behind a TLS proxy)
  --secure-cookie mark the session cookie Secure (__Host-) when a TLS proxy is in front
  --allow-host N  comma-separated names the pages are reached by, besides the bound
                  address and localhost (or web.allowedHosts); other Host headers get 421
  --distributed   run the checks on scanners ('scorekeeper scanner') through the
                  queue on DATABASE_URL (also: scan.distributed in the file)
  --record FILE   also write the inspection stream to FILE, for 'scorekeeper replay'
  --rounds N      stop after N rounds
  --data DIR      data folder of the embedded database (default .scorekeeper)
${LOG_OPTIONS_HELP}
  --quiet         no info log lines on stderr and no results tables: one summary line
                  per round (warnings, errors and the progress line still show)

The terminal shows what 'run' shows: the live progress line, a table and a summary
line per round.`;

/** Runs `serve`. */
export async function serveCommand(argv: readonly string[], out: NodeJS.WritableStream & { isTTY?: boolean }): Promise<number> {
  const { values } = parseCommandArgs('serve', argv, {
    config: { type: 'string', short: 'c' },
    port: { type: 'string' },
    host: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'insecure-http': { type: 'boolean' },
    'secure-cookie': { type: 'boolean' },
    'allow-host': { type: 'string' },
    rounds: { type: 'string' },
    record: { type: 'string' },
    distributed: { type: 'boolean' },
    ...LOG_OPTIONS,
    ...STORE_OPTIONS,
  });
  if (values.help) return void out.write(`${SERVE_HELP}\n`), 0;
  if (!values.config) throw new UsageError("serve: --config FILE is required; see 'scorekeeper serve --help'");
  const port = intOption('serve', 'port', values.port, 0) ?? DEFAULT_SERVE_PORT;
  if (port > 65535) throw new UsageError(`serve: --port must be 0..65535, got ${port}`);
  const rounds = intOption('serve', 'rounds', values.rounds, 1);
  const logFormat = logFormatOption('serve', values['log-format']);
  // TLS and the port first: a plain-HTTP bind refused, or a busy port, is known in
  // milliseconds, before the database starts.
  const host = values.host ?? '127.0.0.1';
  const web = webServeOptions(values, { web: readWebSection(values.config), file: values.config });
  assertSafeBind(host, web);
  const bound = await bindPort(port, host, '--port', createWebServerSocket(web));
  // The heavy modules (engine, checks, database) load once the port is ours.
  const [{ openEngineCommand }, { flushLogs }, { createEngine }, { startVisualizer }, { runLoop }] = await Promise.all([
    import('../context.js'),
    import('../cli-logger.js'),
    import('../../engine.js'),
    import('../../web/start-visualizer.js'),
    import('../run-loop.js'),
  ]);
  const { commandEngineOptions, startDistributedMode } = await import('../distributed-mode.js');
  let distributed: Awaited<ReturnType<typeof startDistributedMode>>;
  const { loaded, registry, logger, store } = await openEngineCommand('serve', {
    configPath: values.config,
    dataDir: values.data,
    distributed: values.distributed,
    log: { logFile: values['log-file'], format: logFormat, quiet: values.quiet === true },
    onFailure: () => bound.close(),
  });
  try {
    distributed = await startDistributedMode(values.distributed, loaded, registry, logger);
    const engine = createEngine(commandEngineOptions({ registry, store, logger }, loaded.settings, distributed));
    const visualizer = await startVisualizer({
      engine,
      competition: loaded.competition,
      registry,
      tokens: loaded.tokens,
      bound,
      ...(values.host ? { host: values.host } : {}),
      ...(values.record ? { record: values.record } : {}),
      ...(web.tls ? { tls: web.tls } : {}),
      ...(web.insecureHttp ? { insecureHttp: true } : {}),
      allowedHosts: [...web.allowedHosts],
      ...(values['secure-cookie'] ? { secureCookie: true } : {}),
      ...(distributed ? { scanners: () => distributed!.host.refreshScanners() } : {}),
      logger,
    });
    try {
      for (const line of visualizer.describe()) out.write(`${line}\n`);
      await runLoop({
        ...(distributed ? { beforeRound: () => distributed!.beforeRound(out) } : {}),
        engine,
        competition: loaded.competition,
        intervalMs: loaded.settings.intervalMs,
        jitterMs: loaded.settings.jitterMs,
        out,
        onNextRound: (next) => visualizer.hub.setNextRound(next),
        onHealth: (health) => visualizer.hub.setHealth(health),
        flushLogs: () => flushLogs(logger),
        ...(rounds !== undefined ? { rounds } : {}),
        ...(values.quiet ? { quiet: true } : {}),
      });
    } finally {
      await visualizer.close();
    }
    return 0;
  } finally {
    await distributed?.close();
    await store.close();
  }
}
