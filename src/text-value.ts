/**
 * Text a user sends to be stored (a password change, Team Specific Info): PostgreSQL
 * cannot hold NUL in text, and other control characters or half a surrogate pair are
 * never part of a real password but do break the terminals, logs and exports that show
 * them later. Such values are refused where they enter, naming the field.
 */

/**
 * A C0 control, DEL, a C1 control, or a lone surrogate (with the `u` flag a proper pair
 * is one code point, so only a half matches the surrogate range).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const BAD_CHARACTER = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/u;

/** Why `value` cannot be stored as text, or undefined when it can. Never quotes the value. */
export function textValueProblem(value: string): string | undefined {
  const match = BAD_CHARACTER.exec(value);
  if (!match) return undefined;
  const code = match[0].charCodeAt(0);
  const what = code >= 0xd800 && code <= 0xdfff ? 'an unpaired surrogate' : 'a control character';
  return `contains ${what} (U+${code.toString(16).toUpperCase().padStart(4, '0')}) at character ${match.index + 1}`;
}
