/**
 * Content evaluation shared by the checks: substring, regular expression or sha256 of
 * what a probe fetched. Returns a sentence for the blue team when it does not match.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MATCH_WINDOW } from '../../probes/match-window.js';

/**
 * How to judge fetched content; all given criteria must hold. A value that is not a
 * mapping (`banner: "220"`) is told the three field names, not just "a mapping".
 */
export const contentExpectationSchema = z
  .object({
    /** A substring that must appear. */
    contains: z.string().min(1).optional(),
    /** A regular expression (JavaScript syntax) that must match. */
    regex: z.string().min(1).optional(),
    /** Lower-case hex sha256 of the whole content. */
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters')
      .optional(),
  }, { error: (issue) => (issue.code === 'invalid_type' ? 'expected a mapping with contains, regex and/or sha256 (e.g. { contains: "220" })' : undefined) })
  .strict();

/** Parsed content expectation. */
export type ContentExpectation = z.infer<typeof contentExpectationSchema>;

export { MATCH_WINDOW };

/**
 * Null when `content` meets `expect`, else why not, e.g.
 * "'Welcome' not found in the first 64 KiB".
 */
export function evaluateContent(content: Buffer | string, expect: ContentExpectation): string | null {
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  const window = buf.subarray(0, MATCH_WINDOW).toString('utf8');
  const windowText = buf.length > MATCH_WINDOW ? 'in the first 64 KiB' : `in ${buf.length} bytes`;
  if (expect.contains !== undefined && !window.includes(expect.contains)) {
    return `'${clip(expect.contains)}' not found ${windowText}`;
  }
  if (expect.regex !== undefined && !new RegExp(expect.regex).test(window)) {
    return `/${clip(expect.regex)}/ did not match ${windowText}`;
  }
  if (expect.sha256 !== undefined) {
    const actual = createHash('sha256').update(buf).digest('hex');
    if (actual !== expect.sha256.toLowerCase()) return `sha256 ${actual.slice(0, 12)}… differs from the expected ${expect.sha256.slice(0, 12).toLowerCase()}…`;
  }
  return null;
}

/** Whether any criterion is set. */
export function hasExpectation(expect: ContentExpectation | undefined): expect is ContentExpectation {
  return !!expect && (expect.contains !== undefined || expect.regex !== undefined || expect.sha256 !== undefined);
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
