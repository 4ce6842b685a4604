/**
 * `scorekeeper stuck --url URL --token T`: the stuck checks of a running engine (one
 * serving the visualizer), from its API: team, service, state, for how long, last event,
 * and whether its timeout is armed (see docs/visualizer.md).
 */
import { ScorekeeperError } from '../../errors.js';
import type { StuckCheck } from '../../inspection/stuck-checks.js';
import type { SlowCheck } from '../../inspection/slowest-checks.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { renderTable } from '../table.js';

/** Help text of `stuck`. */
export const STUCK_HELP = `Usage: scorekeeper stuck --url http://127.0.0.1:PORT [--token T] [--json]

Lists the checks of a running engine that stayed in one lifecycle state longer than
their deadline plus the grace (2 s), as the inspector shows them. The admin token comes
from --token or the SCOREKEEPER_TOKEN environment variable (which keeps it out of the
process list). Then the slowest checks still running inside their deadline, with the
time they have left. --json prints the stuck list only.`;

/** The API's answer. */
interface StuckAnswer {
  readonly now: number;
  readonly graceMs: number;
  readonly stuck: readonly StuckCheck[];
  /** Absent from engines older than the list. */
  readonly slowest?: readonly SlowCheck[];
}

/** Runs `stuck`. */
export async function stuckCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('stuck', argv, { url: { type: 'string' }, token: { type: 'string' }, json: { type: 'boolean' } });
  if (values.help) return void out.write(`${STUCK_HELP}\n`), 0;
  if (!values.url) throw new UsageError("stuck: --url is required; see 'scorekeeper stuck --help'");
  const token = values.token ?? process.env.SCOREKEEPER_TOKEN;
  if (!token) throw new UsageError('stuck: the admin token is required (--token or SCOREKEEPER_TOKEN)');
  let endpoint: URL;
  try {
    endpoint = new URL('/api/stuck', values.url);
  } catch {
    throw new UsageError(`stuck: --url '${values.url}' is not a URL`);
  }
  let res: Response;
  try {
    res = await fetch(endpoint, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new ScorekeeperError('SK_WEB', `stuck: could not reach ${endpoint.origin}: ${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)}`);
  }
  const body = (await res.json().catch(() => ({}))) as Partial<StuckAnswer> & { error?: string };
  if (!res.ok) throw new ScorekeeperError('SK_WEB', `stuck: ${endpoint.origin} answered ${res.status}: ${body.error ?? res.statusText}`);
  const stuck = body.stuck ?? [];
  if (values.json) return void out.write(`${JSON.stringify(stuck, null, 2)}\n`), 0;
  if (stuck.length === 0) out.write(`no stuck checks (grace ${(body.graceMs ?? 0) / 1000} s)\n`);
  else {
    out.write(
      `${renderTable(
        ['team', 'service', 'state', 'for', 'last event', 'timeout armed'],
        stuck.map((s) => [s.team ?? 'all', s.service, s.state, `${(s.forMs / 1000).toFixed(1)} s`, s.lastEvent ?? '-', s.armed ? 'yes' : 'no']),
      )}\n`,
    );
    out.write(`${stuck.length} stuck check${stuck.length === 1 ? '' : 's'}\n`);
  }
  const slowest = body.slowest ?? [];
  if (slowest.length > 0) {
    const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    out.write(`\nslowest running (inside their deadline):\n${renderTable(['team', 'service', 'state', 'running', 'left'], slowest.map((s) => [s.team ?? 'all', s.service, s.state, s1(s.runningMs), s1(s.leftMs)]))}\n`);
  }
  return 0;
}
