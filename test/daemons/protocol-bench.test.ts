// Smoke version of the protocol benchmark (npm run bench -- --protocols): for every type
// whose daemon is installed, a few checks through the engine (results persisted to the
// PostgreSQL on 127.0.0.1:5432) and through the bare client, in this process. Both sides
// must pass every check and report CPU; no timing is judged here.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RunningDaemon } from '../../bench/lib/protocol-bench.js';
import { PROTOCOL_BENCHES } from '../../bench/protocols/index.js';
import { missingExecutable, rowOf } from '../../bench/run-protocols.js';
import { runProtocolCost } from '../../bench/scenarios/protocol-cost.js';

const CHECKS = 4;

for (const bench of PROTOCOL_BENCHES) {
  const missing = missingExecutable(bench);
  describe.skipIf(missing !== undefined)(`protocol benchmark smoke: ${bench.type}${missing ? ` (skipped: ${missing} is not installed)` : ''}`, () => {
    let daemon: RunningDaemon;
    beforeAll(async () => {
      daemon = await bench.start();
    });
    afterAll(async () => daemon?.stop());

    test('the engine and the bare client both pass every check, and CPU per check is measured', async () => {
      const params = { type: bench.type, checks: CHECKS, concurrency: 2, target: daemon.target };
      const engine = await runProtocolCost({ ...params, mode: 'engine' });
      const bare = await runProtocolCost({ ...params, mode: 'bare' });
      for (const side of [engine, bare]) {
        expect(side).toMatchObject({ type: bench.type, checks: CHECKS, firstRoundOk: CHECKS, ok: CHECKS });
        expect(side.cpuMs).toBeGreaterThan(0);
        expect(side.firstRoundCpuMs).toBeGreaterThan(0);
      }
      const row = rowOf({ ...bench, checks: CHECKS }, [{ ...engine }], [{ ...bare }]);
      expect(row.engineCpuMs).toBeGreaterThan(0);
      expect(row.bareCpuMs).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(engine.cpuMs / bare.cpuMs, 1);
    });
  });
}
