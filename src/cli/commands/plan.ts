/** `scorekeeper plan --config F [--json]`: the capacity plan of a round (src/planning/). */
import { planRound, typicalRoundSeconds, worstCaseRoundSeconds, type RoundPlan } from '../../planning/round-plan.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../cli-error.js';
import { loadConfig } from '../context.js';
import { renderTable } from '../table.js';

/** Help text of `plan`. */
export const PLAN_HELP = `Usage: scorekeeper plan --config FILE [--json]

Prints what one round of the competition costs, without running it: checks per round
by type, the scanner CPU they take (from the per-type costs measured by the protocol
benchmark, docs/sizing.md), their timeouts, how many checks must run at once for a
round to fit its interval (worst case: every check hits its timeout; typical: services
answer), and the check threads (scan.threads) suggested.

  --config FILE   competition file (YAML)
  --json          print the same as one JSON document`;

/** The document `plan --json` prints: the plan and its two round times. */
export interface PlanJson extends RoundPlan {
  /** Round time when every check hits its deadline, at the configured concurrency, s. */
  readonly worstCaseRoundSeconds: number;
  /** Round time when services answer, at the configured concurrency and threads, s. */
  readonly typicalRoundSeconds: number;
}

/** Runs `plan`. */
export async function planCommand(argv: readonly string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parseCommandArgs('plan', argv, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } });
  if (values.help) return void out.write(`${PLAN_HELP}\n`), 0;
  if (!values.config) throw new UsageError("plan: --config FILE is required; see 'scorekeeper plan --help'");
  const { loaded } = await loadConfig(values.config);
  const plan = planRound(loaded.competition, loaded.settings);
  if (values.json) {
    const doc: PlanJson = { ...plan, worstCaseRoundSeconds: worstCaseRoundSeconds(plan), typicalRoundSeconds: typicalRoundSeconds(plan) };
    out.write(`${JSON.stringify(doc)}\n`);
  } else {
    out.write(`${renderPlan(plan)}\n`);
  }
  return 0;
}

const seconds = (ms: number): string => `${Math.round(ms / 10) / 100} s`;

/** The plan as the terminal shows it. */
export function renderPlan(plan: RoundPlan): string {
  const timeouts = (min: number, max: number) => (min === max ? seconds(min) : `${seconds(min)}–${seconds(max)}`);
  const table = renderTable(
    ['type', 'checks', 'CPU/check', 'CPU/round', 'timeout'],
    [
      ...plan.byType.map((t) => [t.type, t.checks, `${t.cpuMsPerCheck} ms${t.measured ? '' : ' (not measured: assumed)'}`, seconds(t.cpuMsPerRound), timeouts(t.minTimeoutMs, t.maxTimeoutMs)]),
      ['total', plan.checks, '', seconds(plan.cpuMsPerRound), ''],
    ],
  );
  const worst = worstCaseRoundSeconds(plan);
  const typical = typicalRoundSeconds(plan);
  const interval = plan.intervalMs / 1000;
  const lines = [
    `${plan.competition}: ${plan.teams} teams, ${plan.checks} checks per round every ${interval} s (scan.concurrency ${plan.concurrency}, scan.threads ${plan.threads})`,
    '',
    table,
    '',
    `CPU per round: ${seconds(plan.cpuMsPerRound)}, ${round(plan.coresNeeded)} cores over the ${interval} s interval; suggested scan.threads: ${plan.suggestedThreads}${plan.suggestedThreads !== plan.threads ? ` (configured ${plan.threads})` : ''}`,
    `Checks at once to fit the interval: ${plan.worstCaseConcurrency} in the worst case (every check hits its timeout), ${plan.typicalConcurrency} typically; configured ${plan.concurrency}`,
    `Round time at concurrency ${plan.concurrency}: worst case ${round(worst)} s, typically ${round(typical)} s`,
  ];
  if (worst > interval) lines.push(`Warning: in the worst case a round (${round(worst)} s) outlasts its ${interval} s interval: raise scan.concurrency to ${plan.worstCaseConcurrency} or shorten timeouts`);
  if (plan.suggestedThreads + 1 > 64) lines.push('Warning: more CPU than one machine gives a scanner: split the competition across scanners (docs/sizing.md)');
  return lines.join('\n');
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
