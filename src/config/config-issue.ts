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

/** Keys printed as they are; others are quoted, or hidden when they may hold a secret. */
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * A key or index path as printed: `services[3].params.path`, `teamInfo.2.ssh_pass`,
 * `teams[0].vars["bad key"]`. A key that is not a plain name is shown as `[?]` when it
 * sits where secrets are kept (`isSecret` of its parent path) or contains a colon: a
 * typo such as `{password:hunter2}` makes the password part of a key.
 */
export function formatPath(segments: readonly PropertyKey[], isSecret: (path: readonly PropertyKey[]) => boolean = () => false): string {
  let out = '';
  segments.forEach((segment, i) => {
    if (typeof segment === 'number') {
      out += `[${segment}]`;
      return;
    }
    const key = String(segment);
    if (PLAIN_KEY.test(key)) out += out === '' ? key : `.${key}`;
    else if (key.includes(':') || isSecret(segments.slice(0, i))) out += '[?]';
    else out += `[${oneLine(JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key))}]`;
  });
  return out === '' ? '(root)' : out;
}

/** Whether formatPath shows `key` (under `parent`) as `[?]`. */
export function isHiddenKey(key: string, parent: readonly PropertyKey[], isSecret: (path: readonly PropertyKey[]) => boolean): boolean {
  return !PLAIN_KEY.test(key) && (key.includes(':') || isSecret(parent));
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
