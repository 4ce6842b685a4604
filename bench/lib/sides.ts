/**
 * Running the sides of a comparison: each run of a side in a fresh child process
 * (bench/child.ts), sides alternating so noise hits all alike, and the ratio of medians.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { median, round } from './stats.js';

/** What a child printed: one flat JSON object. */
export type Sample = Record<string, number | string>;

/** Runs a scenario in a fresh process; `side.nodeFlags`, if any, go to that node, the rest are the params. */
export function child(scenario: string, side: object): Promise<Sample> {
  const { nodeFlags = [], ...params } = side as { nodeFlags?: readonly string[] };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...nodeFlags, join(import.meta.dirname, '..', 'child.js'), scenario, JSON.stringify(params)], { maxBuffer: 1 << 20, timeout: 600_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${scenario} ${JSON.stringify(side)} failed: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as Sample);
    });
  });
}

/** `runs` samples of one side, one after the other; the median of `key`. */
export async function medianOf(scenario: string, params: object, key: string, runs: number): Promise<{ median: number; values: number[]; samples: Sample[] }> {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await child(scenario, params));
  const values = samples.map((s) => Number(s[key]));
  return { median: median(values), values, samples };
}

/** `runs` samples of several sides, run in turn (a, b, c, a, b, c…) so noise hits all alike. */
export async function alternate(scenario: string, sides: readonly object[], runs: number): Promise<Sample[][]> {
  const samples = sides.map((): Sample[] => []);
  for (let i = 0; i < runs; i++) {
    for (const [n, side] of sides.entries()) samples[n]!.push(await child(scenario, side));
  }
  return samples;
}

/** A ratio of two sides' medians, with the ratios of runs made back to back. */
export interface Ratio {
  readonly a: number;
  readonly b: number;
  readonly ratio: number;
  readonly as: number[];
  readonly bs: number[];
  readonly paired: { readonly median: number; readonly min: number; readonly max: number };
}

/**
 * Side a against side b, over samples of both: medians of `key` and their ratio (the
 * table's value). Also the ratio of each pair of runs made back to back (`paired`): on
 * a host whose speed drifts over minutes, their spread shows how far one run can be
 * trusted.
 */
export function ratioOf(sa: readonly Sample[], sb: readonly Sample[], key: string): Ratio {
  const as = sa.map((s) => Number(s[key]));
  const bs = sb.map((s) => Number(s[key]));
  const paired = as.map((a, i) => a / bs[i]!);
  return { a: median(as), b: median(bs), ratio: median(as) / median(bs), as, bs, paired: { median: median(paired), min: Math.min(...paired), max: Math.max(...paired) } };
}

/** "run by run 1.04–1.21 (median 1.12)": the spread of the paired ratios. */
export function spread(r: Pick<Ratio, 'paired'>): string {
  return `run by run ${round(r.paired.min)}–${round(r.paired.max)} (median ${round(r.paired.median)})`;
}
