/**
 * Runs one benchmark scenario in this (fresh) process and prints its result as one JSON
 * line, so peak RSS and warm-up belong to that run alone.
 *   node dist/bench/child.js <scenario> '<params json>'
 */
import { runDeadServices } from './scenarios/dead-services.js';
import { runEmulatedNetwork } from './scenarios/emulated-network.js';
import { runEngineCost } from './scenarios/engine-cost.js';
import { runHttpOverhead } from './scenarios/http-overhead.js';
import { runDistributed } from './scenarios/distributed.js';
import { runHungChecks } from './scenarios/hung-checks.js';
import { runProtocolCost } from './scenarios/protocol-cost.js';

/** Scenario name → runner. */
export const SCENARIOS = {
  'dead-services': runDeadServices,
  'emulated-network': runEmulatedNetwork,
  'engine-cost': runEngineCost,
  'http-overhead': runHttpOverhead,
  'hung-checks': runHungChecks,
  distributed: runDistributed,
  'protocol-cost': runProtocolCost,
} as const;

const [name, json] = process.argv.slice(2);
const run = SCENARIOS[name as keyof typeof SCENARIOS] as ((p: unknown) => Promise<unknown>) | undefined;
if (!run || !json) {
  process.stderr.write(`usage: child.js <${Object.keys(SCENARIOS).join('|')}> '<params json>'\n`);
  process.exit(2);
}
run(JSON.parse(json)).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
