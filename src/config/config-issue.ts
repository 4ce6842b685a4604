/**
 * One problem in a competition file, and the one-line form every problem is reported
 * in: `competition.yaml: services[3].port: expected an integer 1..65535, got "abc"`.
 */
import { ConfigError } from '../errors.js';
import { oneLine } from './describe-value.js';

/** One problem: where it is, what was expected there, what was found instead. */
export interface ConfigIssue {
  /** `services[3].port`, `line 4:7` for YAML syntax, `(file)` or `(document)`. */
  readonly path: string;
  /** Without the word "expected": `an integer 1..65535`. */
  readonly expected: string;
  /** Without the word "got": `"abc"`, `nothing`, `the value (a number)`. */
  readonly found: string;
}

/** At most this many problems are listed; one more line says how many were left out. */
export const MAX_LISTED_ISSUES = 50;

/** A key or index path as printed: `services[3].params.path`, `teamInfo.2.ssh_pass`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const key = String(segment);
      const plain = /^[A-Za-z0-9_-]{1,64}$/.test(key);
      const text = plain ? key : `[${oneLine(JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key))}]`;
      out += out === '' || !plain ? text : `.${text}`;
    }
  }
  return out === '' ? '(root)' : out;
}

/** The lines of `issues` for `file`, one problem per line, capped at MAX_LISTED_ISSUES. */
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string[] {
  const name = oneLine(file);
  const lines = issues
    .slice(0, MAX_LISTED_ISSUES)
    .map((issue) => `${name}: ${oneLine(issue.path)}: expected ${oneLine(issue.expected)}, got ${oneLine(issue.found)}`);
  if (issues.length > MAX_LISTED_ISSUES) {
    lines.push(`${name}: (document): expected at most ${MAX_LISTED_ISSUES} problems listed, got ${issues.length - MAX_LISTED_ISSUES} more`);
  }
  return lines;
}

/** A ConfigError whose message is the issues of `file`, one per line. */
export function configError(file: string, issues: readonly ConfigIssue[], secrets: readonly string[] = []): ConfigError {
  const redact = secretRedactor(secrets);
  const safe = issues.map((issue) => ({ ...issue, expected: redact(issue.expected), found: redact(issue.found) }));
  return new ConfigError(formatIssues(file, safe).join('\n'));
}

/** Secrets shorter than this are not searched for (they would match ordinary words). */
const MIN_REDACTED_LENGTH = 4;

/**
 * Last line of defence: any configured secret that still made it into an issue's text
 * (through a plugin's own params message, say) is replaced by "the value". File names
 * and paths are left alone: they hold keys, not values.
 */
export function secretRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_REDACTED_LENGTH) continue;
    forms.add(secret);
    const escaped = oneLine(JSON.stringify(secret)).slice(1, -1);
    if (escaped.length >= MIN_REDACTED_LENGTH) forms.add(escaped);
  }
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of sorted) if (out.includes(form)) out = out.split(form).join('the value');
    return out;
  };
}
