/** One scan on a fresh engine, closed afterwards: the results, looked up by team and service. */
import { createEngine, type CheckResult, type Competition, type EngineOptions } from '../../src/index.js';

/** Runs `competition` once with an engine made from `options`; `of(team, service)` finds a result. */
export async function scanOnce(options: EngineOptions, competition: Competition) {
  const engine = createEngine(options);
  await engine.ready();
  try {
    const handle = engine.scan(competition);
    const results: CheckResult[] = [];
    handle.results$.subscribe((r) => results.push(r));
    await handle.summary;
    return { results, of: (team: number, service: string) => results.find((r) => r.team === team && r.service === service)! };
  } finally {
    await engine.close();
  }
}
