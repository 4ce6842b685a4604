/**
 * Templates: `host` (`10.{team}.1.10`, `{subnet}.{team}.0.5`), `port` (`"{port}"`),
 * `timeout` (`"{timeout}"`) and strings in `params`. `{team}` is the team number, any
 * other `{name}` a variable from the team's `vars`.
 */

/** Names allowed between braces (the same rule as team variable names). */
export const TEMPLATE_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable names a template uses, or an error text when its braces are malformed. */
export function templateVariables(template: string): { readonly variables: readonly string[] } | { readonly error: string } {
  const variables: string[] = [];
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{');
    const close = rest.indexOf('}');
    if (open < 0) {
      if (close >= 0) return { error: "a '}' without its '{'" };
      return { variables: [...new Set(variables)] };
    }
    if (close >= 0 && close < open) return { error: "a '}' without its '{'" };
    const end = rest.indexOf('}', open);
    if (end < 0) return { error: "a '{' without its '}'" };
    const name = rest.slice(open + 1, end);
    if (!TEMPLATE_VARIABLE.test(name)) return { error: `a variable name that is not letters, digits or _` };
    variables.push(name);
    rest = rest.slice(end + 1);
  }
}

/** Adds the `{name}` placeholders of every string in `value` (params, however deep) to `into`. */
export function collectPlaceholders(value: unknown, into: Set<string>): void {
  if (typeof value === 'string') {
    for (const match of value.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) into.add(match[1]!);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) collectPlaceholders(item, into);
  }
}
