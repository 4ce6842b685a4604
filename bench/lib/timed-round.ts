/** One timed round of a benchmark: wall time and the CPU time of this process. */

/** Wall time and the process's CPU time (every thread), ms. */
export interface Round {
  readonly wallMs: number;
  readonly cpuMs: number;
}

/** Times `scan` as a round: process.cpuUsage() and performance.now() deltas around it. */
export async function timed<T>(scan: () => Promise<T>): Promise<{ round: Round; value: T }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await scan();
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { round: { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }, value };
}
