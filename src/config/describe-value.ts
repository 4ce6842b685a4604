/**
 * How a found value is shown in an error line: short, on one line, and never the
 * value itself when it sits where a secret belongs.
 */

/** Strings longer than this are cut, with their length added. */
const MAX_SHOWN_CHARS = 60;

/**
 * Escapes what could break a line or fool a terminal: control characters, Unicode
 * line and paragraph separators, and invisible format characters (bidi overrides).
 */
export function oneLine(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

/** "a string", "a number", "a list"... */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'number':
      return Number.isInteger(value) ? 'an integer' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

/**
 * The value as shown after "got": `"abc"`, `42`, `a list`, `nothing`. With `secret`,
 * only its kind: `the value (a string of 8 characters)`.
 */
export function describeValue(value: unknown, secret = false): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (secret && typeof value !== 'object') {
    return typeof value === 'string' && value !== ''
      ? `the value (a string of ${[...value].length} characters)`
      : `the value (${kindOf(value)})`;
  }
  switch (typeof value) {
    case 'string': {
      const chars = [...value];
      if (chars.length <= MAX_SHOWN_CHARS) return oneLine(JSON.stringify(value));
      return `${oneLine(JSON.stringify(chars.slice(0, MAX_SHOWN_CHARS).join('')).slice(0, -1))}…" (${chars.length} characters)`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return kindOf(value);
  }
}
