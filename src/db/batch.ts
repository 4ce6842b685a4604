/** Splitting big batches into multi-row statements of a bounded size. */

/** Rows per multi-row statement: big enough to amortise round trips, small enough for the parser. */
export const BATCH_ROWS = 1000;

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Epoch milliseconds as SQL text of a timestamptz (no Date formatting per row). */
export function sqlTimestamp(ms: number): string {
  if (!Number.isFinite(ms)) throw new TypeError(`timestamp ${ms} is not a finite number of milliseconds`);
  return `to_timestamp(${ms / 1000})`;
}
