/**
 * Parameters of a check, validated with the type's zod schema. The same schema is used
 * by the competition-file loader before any scan, so a typo is reported with its path
 * (`services[3].params.path`) instead of failing every round.
 */
import type { z } from 'zod';
import { ScorekeeperError } from '../../errors.js';
import type { Service } from '../../types.js';

/** A check's params did not match its schema. */
export class InvalidParamsError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_INVALID_PARAMS', message);
  }
}

/** One line per problem: `params.path: expected string, received number`. */
export function describeParamIssues(error: z.ZodError, prefix = 'params'): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `${prefix}${path}: ${issue.message}`;
  });
}

/**
 * Parsed params by params object and schema. Every team's service of one definition
 * shares its params object, so a round parses each definition once, not once per team
 * (in a check thread too, where the engine numbers params objects: threads/params-ids.ts).
 * Cached results are frozen: a check that changed them would change them for the next.
 */
const parsedByParams = new WeakMap<object, Map<z.ZodType, unknown>>();

/** Parses `service.params` with `schema`, or throws InvalidParamsError naming the field. */
export function parseParams<S extends z.ZodType>(schema: S, service: Service): z.infer<S> {
  const params = service.params ?? {};
  let bySchema = parsedByParams.get(params);
  if (bySchema?.has(schema)) return bySchema.get(schema) as z.infer<S>;
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    throw new InvalidParamsError(`${service.id}: ${describeParamIssues(parsed.error).join('; ')}`);
  }
  const value = deepFreeze(parsed.data);
  if (!bySchema) parsedByParams.set(params, (bySchema = new Map<z.ZodType, unknown>()));
  bySchema.set(schema, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
