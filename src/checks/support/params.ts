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

/** Parses `service.params` with `schema`, or throws InvalidParamsError naming the field. */
export function parseParams<S extends z.ZodType>(schema: S, service: Service): z.infer<S> {
  const parsed = schema.safeParse(service.params ?? {});
  if (!parsed.success) {
    throw new InvalidParamsError(`${service.id}: ${describeParamIssues(parsed.error).join('; ')}`);
  }
  return parsed.data;
}
