/**
 * PostgreSQL array literals for unnest() parameters, built here rather than by node-pg:
 * pg formats an array parameter element by element (type checks and two regex
 * replacements each), a visible share of a large scan's CPU profile; a string parameter
 * goes to the server as is (docs/storage.md, "Batching").
 */

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** `{"a","b\"c",NULL}`: every element quoted, `"` and `\` escaped, null as NULL. */
export function textArrayLiteral(values: ReadonlyArray<string | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else out += `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
  }
  return `${out}}`;
}

/** `{1,2.5,NULL}`: finite numbers as JavaScript prints them (a valid numeric literal), null as NULL. */
export function numberArrayLiteral(values: ReadonlyArray<number | string | null>): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) out += ',';
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`array element ${i} is ${v}, not a finite number`);
    else out += String(v);
  }
  return `${out}}`;
}
