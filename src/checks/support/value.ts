/**
 * Values returned by databases and key-value stores (mysql, postgresql, redis): how they
 * read as text, how they are compared with `params.expect`, and how server messages are
 * made safe to show a blue team.
 */
import { z } from 'zod';
import { contentExpectationSchema, evaluateContent } from './match.js';

/**
 * What a query or command must return: a string compared for equality, or a content
 * expectation ({ contains, regex, sha256 }) applied to the value's text.
 */
export const expectedValueSchema = z.union([z.string(), contentExpectationSchema], {
  error: 'expected a string, or a mapping with contains, regex and/or sha256',
});

/** Parsed expected value. */
export type ExpectedValue = z.infer<typeof expectedValueSchema>;

/**
 * The text of a value returned by a database, as compared and shown: numbers and
 * booleans as written, buffers as UTF-8, dates in ISO 8601, arrays one element per line,
 * other objects as JSON, and null/undefined as `nullText`.
 */
export function valueText(value: unknown, nullText = 'NULL'): string {
  if (value === null || value === undefined) return nullText;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => valueText(v, nullText)).join('\n');
  try {
    return JSON.stringify(value) ?? Object.prototype.toString.call(value);
  } catch {
    return Object.prototype.toString.call(value); // cyclic objects
  }
}

/**
 * Null when `actual` meets `expect`, else a sentence starting with `subject`, e.g.
 * "query returned 'x', expected 'y'" or "PING replied 'x': 'y' not found in 1 bytes".
 */
export function compareValue(subject: string, actual: string, expect: ExpectedValue): string | null {
  if (typeof expect === 'string') {
    return actual === expect ? null : `${subject} '${clip(actual)}', expected '${clip(expect)}'`;
  }
  const why = evaluateContent(actual, expect);
  return why === null ? null : `${subject} '${clip(actual)}': ${why}`;
}

/**
 * `text` with every occurrence of `secret` masked. A safety net: database libraries do
 * not echo passwords, but a message must never carry one. Secrets under 3 characters
 * are left alone (masking them would mangle ordinary words).
 */
export function withoutSecret(text: string, secret: string | undefined): string {
  if (!secret || secret.length < 3) return text;
  return text.split(secret).join('***');
}

/** A one-line version of a server message, at most 120 characters. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

function clip(s: string): string {
  const flat = s.replace(/\r?\n/g, '\\n');
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
