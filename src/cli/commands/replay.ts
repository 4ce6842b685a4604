/**
 * `scorekeeper replay FILE`: serves the inspector over a recording made with
 * `run --record` or `serve --record`, with a timeline to step through the scan.
 */
import { parseArgs } from 'node:util';
import { engineCharts } from '../../engine.js';
import { readRecording } from '../../inspection/read-recording.js';
import { generateToken } from '../../web/start-visualizer.js';
import { startWebServer } from '../../web/web-server.js';
import { COMMON_OPTIONS, intOption } from '../args.js';
import { UsageError } from '../cli-error.js';
import { STOP_SIGNALS } from '../stop-signals.js';

/** Help text of `replay`. */
export const REPLAY_HELP = `Usage: scorekeeper replay FILE [--port P] [--host H]

Serves the inspector over a recording (JSON lines written by 'run --record' or
'serve --record'): a slider and step buttons move through the recorded messages, and
the tree, lifecycle counts and stuck list show the scan as it was at that point.
Prints the address with an admin token made for this process. Stop with Ctrl-C.

  --port P   port (default 0: any free port)
  --host H   address to bind (default 127.0.0.1)`;

/** Runs `replay`; resolves when stopped by SIGINT, SIGTERM, SIGHUP or `signal`. */
export async function replayCommand(argv: readonly string[], out: NodeJS.WritableStream, signal?: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...COMMON_OPTIONS, port: { type: 'string' }, host: { type: 'string' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`replay: ${(err as Error).message.replace(/\. To specify .*$/s, '')}; see 'scorekeeper replay --help'`);
  }
  const { values, positionals } = parsed;
  if (values.help) return void out.write(`${REPLAY_HELP}\n`), 0;
  if (positionals.length !== 1) throw new UsageError("replay: give exactly one recording FILE; see 'scorekeeper replay --help'");
  const file = positionals[0]!;
  const port = intOption('replay', 'port', values.port, 0) ?? 0;
  const messages = await readRecording(file).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`replay: no recording file ${file}`);
    throw err;
  });
  const token = generateToken();
  const web = await startWebServer({ tokens: { admin: token, teams: {} }, recording: messages, charts: engineCharts(), port, ...(values.host ? { host: values.host } : {}) });
  out.write(`replaying ${messages.length} messages of ${file}\ninspector: ${web.url}/inspector.html?token=${token}\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      for (const sig of STOP_SIGNALS) process.off(sig, stop);
      resolve();
    };
    for (const sig of STOP_SIGNALS) process.once(sig, stop);
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
  });
  await web.close();
  return 0;
}
