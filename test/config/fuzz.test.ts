/**
 * Fuzzing the loader with seeded mutations of examples/competition.yaml: wrong types,
 * missing fields, huge numbers and strings, unicode, anchors and alias bombs, duplicate
 * keys, truncations and byte flips. Whatever the input, the loader either succeeds or
 * throws a ConfigError of well-formed one-line messages, with no stack trace and no
 * configured secret in them. The seed makes every run the same.
 */
import { describe, expect, test } from 'vitest';
import YAML from 'yaml';
import { parseCompetition } from '../../src/config/load-competition-file.js';
import { ConfigError } from '../../src/errors.js';
import { ERROR_LINE, example, exampleSecrets } from './support.js';
import { testRegistry } from './test-registry.js';

/** Fixed, so every run is the same; SK_FUZZ_SEED=<n> explores another sequence. */
const SEED = Number(process.env.SK_FUZZ_SEED ?? 0x5c0e_4ee9);
const MUTATIONS = 1_000;

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const int = (random: Random, n: number) => Math.floor(random() * n);
function pick<T>(random: Random, list: readonly T[]): T {
  if (list.length === 0) throw new Error('pick from an empty list');
  return list[int(random, list.length)]!;
}

/** Values that are wrong somewhere: types, extremes, unicode, YAML oddities. */
const WEIRD_SCALARS = [
  '-1', '0', '1.5', '65536', '1e309', '-.inf', '.nan', '99999999999999999999', '0x1F', '0o17', '~', 'null', 'true',
  '[]', '{}', '[1, [2, [3]]]', '{ a: 1 }', '""', "''", '"\\u202e\\u2028evil"', '"🦀 ünïcödé 名前"', '"\\0\\a\\x1b[31m"',
  `"${'x'.repeat(5_000)}"`, 'abc', '"10.{team}.{nope}"', '"{team"', '!!binary aGVsbG8=', '!!str 12', '!custom x',
  '&anchor value', '*anchor', '*missing', '"a\\nb"', '|\n  block\n  text', '>-\n  folded', '@reserved', '`tick',
  '- item', 'key: value', '{{x}}', '? complex\n: key',
];

/** Snippets inserted at random places. */
const INSERTS = ['\t', '\n', ': ', '- ', '[', '{', ']', '}', '&a ', '*a', '<<: *a\n', '#', '"', "'", '\u0000', '\uFEFF', '\u202e', '🦀', '%YAML 1.1\n', '---\n', '...\n', '? '];

const ALIAS_BOMB = ['bomb0: &b0 [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `bomb${i + 1}: &b${i + 1} [${Array(10).fill(`*b${i}`).join(', ')}]`)].join('\n');

function lines(text: string): string[] {
  return text.split('\n');
}

/** Every path to a value in `data` (keys of mappings, indexes of lists). */
function allPaths(data: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (data !== null && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const path = [...prefix, Array.isArray(data) ? Number(key) : key];
      out.push(path);
      allPaths(value, path, out);
    }
  }
  return out;
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  return node;
}

const weirdValue = (random: Random): unknown =>
  pick(random, [
    () => YAML.parse(pick(random, WEIRD_SCALARS).replace(/^[&*!@`?].*|^- .*|^key: .*/s, 'x'), { logLevel: 'error' }) as unknown,
    () => -int(random, 1e9),
    () => 2 ** 60 + random(),
    () => 'ä'.repeat(int(random, 3000)),
    () => null,
    () => [],
    () => ({ unexpected: true }),
    () => '\u202e\u2066\u0007',
  ])();

/** Structural mutations: edit the parsed example, then write it back as YAML. */
const STRUCTURAL: ((random: Random, data: Record<string, unknown>) => void)[] = [
  // delete a field or entry
  (random, data) => {
    const paths = allPaths(data);
    if (paths.length === 0) return;
    const path = pick(random, paths);
    const parent = parentOf(data, path);
    if (Array.isArray(parent)) parent.splice(Number(path.at(-1)), 1);
    else delete parent[path.at(-1)!];
  },
  // a value of the wrong type
  (random, data) => {
    const paths = allPaths(data);
    if (paths.length === 0) return;
    const path = pick(random, paths);
    parentOf(data, path)[path.at(-1)!] = weirdValue(random);
  },
  // a typo in a key
  (random, data) => {
    const keys = allPaths(data).filter((p) => typeof p.at(-1) === 'string');
    if (keys.length === 0) return;
    const path = pick(random, keys);
    const parent = parentOf(data, path);
    const key = String(path.at(-1));
    const typo = key.length > 1 ? key.slice(0, -2) + key.at(-1)! + key.at(-2)! : `${key}x`;
    parent[typo] = parent[key];
    delete parent[key];
  },
  // duplicate a list entry (duplicate team numbers, service names)
  (random, data) => {
    const lists = allPaths(data).filter((p) => Array.isArray(parentOf(data, p)[p.at(-1)!]));
    if (lists.length === 0) return;
    const path = pick(random, lists);
    const list = parentOf(data, path)[path.at(-1)!] as unknown[];
    if (list.length > 0) list.push(structuredClone(list[int(random, list.length)]));
  },
  // wrap a value in a list or a mapping
  (random, data) => {
    const paths = allPaths(data);
    if (paths.length === 0) return;
    const path = pick(random, paths);
    const parent = parentOf(data, path);
    parent[path.at(-1)!] = random() < 0.5 ? [parent[path.at(-1)!]] : { value: parent[path.at(-1)!] };
  },
];

/** Text mutations: anything a careless edit, a bad copy or a hostile file could do. */
const TEXTUAL: ((random: Random, text: string) => string | Uint8Array)[] = [
  (random, text) => text.slice(0, int(random, text.length)),
  (random, text) => {
    const bytes = Buffer.from(text);
    for (let i = 0, n = 1 + int(random, 6); i < n; i++) {
      const at = int(random, bytes.length);
      bytes[at] = bytes[at]! ^ (1 << int(random, 8));
    }
    return bytes;
  },
  (random, text) => {
    const at = int(random, text.length);
    return text.slice(0, at) + pick(random, INSERTS) + text.slice(at);
  },
  (random, text) => {
    const all = lines(text);
    const at = int(random, all.length);
    all.splice(at, 0, all[at]!); // duplicate a line: duplicate keys, usually
    return all.join('\n');
  },
  (random, text) => {
    const all = lines(text);
    all.splice(int(random, all.length), 1);
    return all.join('\n');
  },
  (random, text) => {
    const all = lines(text);
    const [a, b] = [int(random, all.length), int(random, all.length)];
    [all[a], all[b]] = [all[b]!, all[a]!];
    return all.join('\n');
  },
  (random, text) => {
    const all = lines(text);
    const candidates = all.map((line, i) => [line, i] as const).filter(([line]) => /^\s*(- )?[\w-]+: \S/.test(line));
    if (candidates.length === 0) return `${text}\nname: ${pick(random, WEIRD_SCALARS)}`;
    const [line, i] = pick(random, candidates);
    all[i] = line.replace(/: .*$/, `: ${pick(random, WEIRD_SCALARS).replace(/\n/g, `\n${' '.repeat(line.search(/\S/) + 2)}`)}`);
    return all.join('\n');
  },
  (random, text) => (random() < 0.5 ? `${ALIAS_BOMB}\n${text}` : `${text}\n${ALIAS_BOMB}\n`),
  (random, text) => text.replace('name: Regional', `name: &n Regional`).replace('name: web', random() < 0.5 ? 'name: *n' : 'name: *nope'),
  (random, text) => `${text}\ndeep: ${'['.repeat(50 + int(random, 200))}`,
  (random, text) => `${text}\n${pick(random, ['teams', 'services', 'scan', 'pools', 'name', 'tokens'])}: ${pick(random, WEIRD_SCALARS)}\n`,
  (random, text) => text.replace(/ {2}/g, random() < 0.5 ? '\t' : ' '),
];

const exampleData = YAML.parse(example) as Record<string, unknown>;

function mutate(random: Random): string | Uint8Array {
  if (random() < 0.4) {
    const data = structuredClone(exampleData);
    for (let i = 0, n = 1 + int(random, 3); i < n; i++) pick(random, STRUCTURAL)(random, data);
    // JSON is YAML too, and much faster to write than YAML.stringify.
    return random() < 0.8 ? JSON.stringify(data, null, 1) : YAML.stringify(data, { aliasDuplicateObjects: false });
  }
  let out: string | Uint8Array = example;
  for (let i = 0, n = 1 + int(random, 2); i < n; i++) {
    const text = typeof out === 'string' ? out : Buffer.from(out).toString('utf8');
    out = pick(random, TEXTUAL)(random, text);
  }
  return out;
}

describe('competition file fuzzing', () => {
  test(`${MUTATIONS} seeded mutations of the example: only ConfigErrors of well-formed lines, no stack, no secret`, () => {
    const random = prng(SEED);
    const registry = testRegistry();
    const counts = { accepted: 0, rejected: 0, lines: 0 };
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let i = 0; i < MUTATIONS; i++) {
      const input = mutate(random);
      const context = `mutation #${i} (seed ${SEED})`;
      let error: unknown;
      try {
        parseCompetition(input, { file: 'competition.yaml', registry });
        counts.accepted++;
        continue;
      } catch (err) {
        error = err;
      }
      counts.rejected++;
      expect(error, context).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect((error as ConfigError).code, context).toBe('SK_CONFIG');
      expect(message, context).not.toMatch(/\n\s+at |\bat [^\s]+ \(|\.ts:\d+|node:internal/);
      for (const line of message.split('\n')) {
        counts.lines++;
        expect(line, context).toMatch(ERROR_LINE);
        expect(line.startsWith('competition.yaml: '), context).toBe(true);
      }
      for (const secret of exampleSecrets) expect(message, `${context}: secret shown`).not.toContain(secret);
    }
    const elapsed = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const cpuMs = (user + system) / 1000;
    // Both outcomes must occur, or the mutations are not exercising the loader.
    expect(counts.accepted).toBeGreaterThan(20);
    expect(counts.rejected).toBeGreaterThan(MUTATIONS / 2);
    // CPU time, not wall time: other test files share the two cores. A guard against a
    // pathological input (a regex or a nesting that takes minutes), not a benchmark:
    // on two busy cores 1,000 mutations took 6-11 s of CPU.
    expect(cpuMs).toBeLessThan(20_000);
    console.log(
      `fuzz: ${MUTATIONS} mutations, ${counts.rejected} rejected (${counts.lines} lines), ${counts.accepted} accepted, ` +
        `${Math.round(elapsed)} ms wall, ${Math.round(cpuMs)} ms CPU`,
    );
  });
});
