/**
 * Issue 20 point 8: a built-in check's params that take a fixed set of forms say which
 * forms, rather than "a mapping" or "one of the allowed forms".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ServiceRegistry } from '../../src/registry.js';
import { registerBuiltinChecks } from '../../src/checks/index.js';
import { edit, errorLines as fileErrorLines, example } from './support.js';

function errorLines(text: string): string[] {
  const registry = new ServiceRegistry();
  registerBuiltinChecks(registry);
  return fileErrorLines(text, 'competition.yaml', registry);
}

describe('params messages name the allowed forms', () => {
  test('an http status that is not a number lists the forms', () => {
    expect(errorLines(edit(example, 'status: 200', 'status: ok'))).toEqual([
      'competition.yaml: services[0].params.status: expected an HTTP status code 100..599 or a list of them (200 or [200, 302]), got "ok"',
    ]);
  });

  test('a content expectation given as a string names contains, regex and sha256', () => {
    const text = edit(example, 'path: /index.html\n      status: 200', 'path: /index.html\n      expect: "Welcome"');
    expect(errorLines(text)).toEqual([
      'competition.yaml: services[0].params.expect: expected a mapping with contains, regex and/or sha256 (e.g. { contains: "220" }), got "Welcome"',
    ]);
  });
});

describe('docs/configuration.md', () => {
  test('lists every built-in type with a link to docs/checks.md', () => {
    const docs = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
    const registry = new ServiceRegistry();
    registerBuiltinChecks(registry);
    const section = docs.slice(docs.indexOf('#### params of each type'), docs.indexOf('#### credentials'));
    expect(section).toContain('(checks.md)');
    for (const { shortName } of registry.list()) expect(section, shortName).toContain(`\`${shortName}\``);
  });
});
