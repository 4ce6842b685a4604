/**
 * `scorekeeper scanner --config F [--zone Z] [--concurrency N]`: joins a distributed
 * competition as a scanner (src/scale-out/scanner.ts) and runs checks until SIGINT,
 * SIGTERM or SIGHUP; then it takes no more, finishes what it holds and leaves. It loads
 * the competition file's plugins first and refuses to start if one cannot load.
 */
import { errorMessage } from '../../errors.js';
import { ZONE_NAME } from '../../scale-out/queue-names.js';
import { intOption, parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { cliLogger } from '../cli-logger.js';
import { loadConfig } from '../context.js';
import { distributedDatabaseUrl } from '../distributed-mode.js';
import { STOP_SIGNALS } from '../stop-signals.js';

/** Checks a scanner runs at once unless --concurrency says otherwise. */
export const DEFAULT_SCANNER_CONCURRENCY = 200;

/** Help text of `scanner`. */
export const SCANNER_HELP = `Usage: scorekeeper scanner --config FILE [--zone Z] [--concurrency N] [--id NAME] [--log-file F]

Joins a distributed competition (a coordinator runs 'scan', 'run' or 'serve' with
--distributed) and runs the checks the coordinator queues, until Ctrl-C, SIGTERM or
SIGHUP: then it takes no more, finishes the checks it holds and leaves. It needs
DATABASE_URL (a role limited to the queue's schema is enough: docs/scale-out.md) and
the same competition file as the coordinator, whose plugins it loads.

  --config FILE      competition file (YAML): its plugins and check types
  --zone Z           run the checks of services in zone Z (and those with no zone);
                     without it, only services with no zone
  --concurrency N    checks running at once (default ${DEFAULT_SCANNER_CONCURRENCY})
  --id NAME          name in 'scorekeeper scanners' and in results (default host/pid)
  --log-file F       write log lines to F instead of stderr`;

/** Runs `scanner`. */
export async function scannerCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('scanner', argv, {
    config: { type: 'string', short: 'c' },
    zone: { type: 'string' },
    concurrency: { type: 'string' },
    id: { type: 'string' },
    'log-file': { type: 'string' },
  });
  if (values.help) return void out.write(`${SCANNER_HELP}\n`), 0;
  if (!values.config) throw new UsageError("scanner: --config FILE is required; see 'scorekeeper scanner --help'");
  const concurrency = intOption('scanner', 'concurrency', values.concurrency, 1) ?? DEFAULT_SCANNER_CONCURRENCY;
  if (values.zone !== undefined && !ZONE_NAME.test(values.zone)) throw new UsageError(`scanner: --zone must be letters, digits, _ and - (at most 40), got '${values.zone}'`);
  const databaseUrl = distributedDatabaseUrl();
  // Plugins first: a scanner that cannot run the competition's checks must not take them.
  const { registry } = await loadConfig(values.config);
  const logger = cliLogger({ logFile: values['log-file'] });
  const [{ openQueue }, { Scanner }] = await Promise.all([import('../../scale-out/open-queue.js'), import('../../scale-out/scanner.js')]);
  let stopSignal: NodeJS.Signals | undefined;
  let onStop: (() => void) | undefined;
  for (const s of STOP_SIGNALS) {
    process.once(s, () => {
      stopSignal = s;
      onStop?.();
    });
  }
  const stopped = new Promise<void>((resolve) => (onStop = resolve));
  // A scanner may start before its coordinator: it waits for the queue to be installed.
  let boss;
  for (let said = false; ; said = true) {
    try {
      boss = await openQueue(databaseUrl, 'scanner', logger);
      break;
    } catch (err) {
      if (!/not installed/.test(errorMessage(err))) throw err;
      if (!said) out.write('waiting for a coordinator (--distributed) to install the queue...\n');
      await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, 2000))]);
      if (stopSignal) return 0;
    }
  }
  const scanner = new Scanner({ boss, registry, logger, concurrency, ...(values.zone !== undefined ? { zone: values.zone } : {}), ...(values.id !== undefined ? { id: values.id } : {}) });
  try {
    await scanner.start();
    out.write(`scanner ${scanner.id} joined${values.zone !== undefined ? ` zone ${values.zone}` : ''} (concurrency ${concurrency}); Ctrl-C to leave\n`);
    await stopped;
    out.write(`${stopSignal}: finishing ${scanner.holding} checks, taking no more\n`);
    await scanner.stop();
    out.write(`scanner ${scanner.id} left after ${scanner.ran} checks${scanner.expired > 0 ? ` (${scanner.expired} dropped past their deadline)` : ''}\n`);
    return 0;
  } finally {
    await boss.stop({ graceful: false, wait: true, timeout: 5000 }).catch(() => undefined);
  }
}
