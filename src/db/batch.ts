/** Splitting big batches into multi-row statements of a bounded size. */

/** Rows per multi-row statement: big enough to amortise round trips, small enough for the parser. */
export const BATCH_ROWS = 1000;

/** `items` in consecutive slices of at most `size`. */
export function chunks<T>(items: readonly T[], size = BATCH_ROWS): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
