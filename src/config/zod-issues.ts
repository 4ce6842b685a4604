/**
 * zod issues to ConfigIssues: the path as printed, what was expected (our own message,
 * or one built from the issue for a check type's params schema), and what was found,
 * looked up in the data so that secrets are shown by kind only.
 */
import type { z } from 'zod';
import type { ConfigIssue } from './config-issue.js';
import { formatPath, isHiddenKey } from './config-issue.js';
import { didYouMean } from './closest-names.js';
import { describeValue } from './describe-value.js';

/** Whether the value at a path (from the document root) is a secret. */
export type SecretPathTest = (path: readonly PropertyKey[]) => boolean;

/** Picks which schema of a union applies to a value, to report that schema's issues. */
export type UnionBranchPicker = (path: readonly PropertyKey[], value: unknown) => z.ZodType | undefined;

/** Options of `issuesFromZod`. */
export interface ZodIssueOptions {
  /** Path of the validated value from the document root (`['services', 3, 'params']`). */
  readonly prefix?: readonly PropertyKey[];
  /** The document root, to look up found values. */
  readonly root: unknown;
  /** The schema that raised the issues (to list the known fields of an object). */
  readonly schema: z.ZodType;
  readonly isSecret: SecretPathTest;
  readonly pickBranch?: UnionBranchPicker;
}

/** The value at `path` under `root`, or undefined. Own properties only. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** One ConfigIssue per zod issue (one per unknown key), duplicates removed. */
export function issuesFromZod(error: Pick<z.ZodError, 'issues'>, options: ZodIssueOptions): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: ConfigIssue) => {
    const key = `${issue.path}\u0000${issue.expected}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(issue);
  };
  for (const issue of error.issues) for (const one of translate(issue, options)) push(one);
  return out;
}

function translate(issue: z.core.$ZodIssue, options: ZodIssueOptions): ConfigIssue[] {
  const path = [...(options.prefix ?? []), ...issue.path];
  const value = valueAt(options.root, path);
  const found = () => describeValue(value, options.isSecret(path));

  switch (issue.code) {
    case 'unrecognized_keys': {
      const branch = options.pickBranch?.(path, value);
      const known = branch ? fieldsAt(branch, []) : fieldsAt(options.schema, issue.path);
      return issue.keys.map((key) => {
        const hidden = isHiddenKey(key, path, options.isSecret);
        const hint = hidden ? '' : didYouMean(key, known.filter((k) => k !== key));
        return {
          path: formatPath([...path, key], options.isSecret),
          expected: `${known.length ? `one of the fields ${known.join(', ')}` : 'no such field'}${hint}`,
          found: hidden ? 'an unknown field (its name is not shown: it may hold a secret)' : 'an unknown field',
        };
      });
    }
    case 'invalid_key': {
      const inner = issue.issues[0]?.message;
      const key = String(path.at(-1));
      const shown = isHiddenKey(key, path.slice(0, -1), options.isSecret)
        ? 'a key that is not shown (it may hold a secret)'
        : `the key ${describeValue(key)}`;
      return [{ path: formatPath(path, options.isSecret), expected: stripExpected(inner ?? '') ?? 'a valid key', found: shown }];
    }
    case 'invalid_union': {
      const branch = options.pickBranch?.(path, value);
      if (branch) {
        const parsed = branch.safeParse(value);
        if (!parsed.success) return issuesFromZod(parsed.error, { ...options, prefix: path, schema: branch });
      }
      return [{ path: formatPath(path, options.isSecret), expected: stripExpected(issue.message) ?? 'one of the allowed forms', found: found() }];
    }
    default: {
      const own = stripExpected(issue.message);
      return [{ path: formatPath(path, options.isSecret), expected: own ?? expectedFromIssue(issue), found: found() }];
    }
  }
}

/** Our schemas' messages start with "expected "; anything else is zod's or a plugin's. */
function stripExpected(message: string): string | undefined {
  return /^expected /i.test(message) ? message.slice('expected '.length) : undefined;
}

interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, unknown>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly options?: readonly z.ZodType[];
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The field names of the object schema found at `path` under `schema`, if any. */
export function fieldsAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  let rest = [...path];
  for (let guard = 0; current && guard < 100; guard++) {
    const def = defOf(current);
    if (def.innerType) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'union' && def.options) {
      return [...new Set(def.options.flatMap((option) => fieldsAt(option, rest)))];
    }
    else if (rest.length === 0) return def.type === 'object' && def.shape ? Object.keys(def.shape).filter((key) => !isRefusal(def.shape![key] as z.ZodType)) : [];
    else if (def.type === 'object' && def.shape) {
      const next = def.shape[String(rest[0])];
      current = next as z.ZodType | undefined;
      rest = rest.slice(1);
    } else if (def.type === 'array') {
      current = def.element;
      rest = rest.slice(1);
    } else if (def.type === 'record') {
      current = def.valueType;
      rest = rest.slice(1);
    } else return [];
  }
  return [];
}

/** A field that is only declared to say why it is refused (`z.never()`, optional): not offered as a known field. */
function isRefusal(schema: z.ZodType): boolean {
  const def = defOf(schema);
  return def.type === 'never' || (def.type === 'optional' && def.innerType !== undefined && defOf(def.innerType).type === 'never');
}

const ARTICLES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  bigint: 'an integer',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  record: 'a mapping',
  map: 'a mapping',
  set: 'a list',
  null: 'null',
  undefined: 'nothing',
  date: 'a date',
  tuple: 'a list',
  literal: 'a fixed value',
  enum: 'one of the allowed values',
  nan: 'NaN',
};

/** Expected-text for an issue raised by a schema that is not ours (a check's params). */
function expectedFromIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return ARTICLES[issue.expected] ?? String(issue.expected);
    case 'too_small':
    case 'too_big': {
      const bound = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
      const op = issue.code === 'too_small' ? (issue.inclusive === false ? 'more than' : 'at least') : issue.inclusive === false ? 'less than' : 'at most';
      if (issue.origin === 'string') return `a string of ${op} ${bound} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `a list of ${op} ${bound} items`;
      return `a number ${op} ${bound}`;
    }
    case 'invalid_value':
      return `one of ${issue.values.map((v) => (typeof v === 'string' ? JSON.stringify(v) : String(v))).join(', ')}`;
    case 'invalid_format':
      return expectedFormat(issue);
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_element':
      return 'valid entries';
    case 'custom':
      return issue.message ? `a valid value (${issue.message})` : 'a valid value';
    default:
      return 'a valid value';
  }
}

/** Expected-text for a string format issue (`starts_with`, `regex`, `email`...). */
function expectedFormat(issue: z.core.$ZodIssueInvalidStringFormat): string {
  const detail = issue as { prefix?: string; suffix?: string; includes?: string; pattern?: string };
  switch (issue.format) {
    case 'starts_with':
      return `a string starting with ${JSON.stringify(detail.prefix ?? '')}`;
    case 'ends_with':
      return `a string ending with ${JSON.stringify(detail.suffix ?? '')}`;
    case 'includes':
      return `a string containing ${JSON.stringify(detail.includes ?? '')}`;
    case 'regex':
      return `a string matching ${String(detail.pattern)}`;
    default:
      return `a valid ${issue.format}`;
  }
}
