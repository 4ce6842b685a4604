/**
 * Competition-file text to plain data, defended against hostile input: a size cap,
 * strict UTF-8, a nesting limit checked by the lexer before anything is built, unique
 * keys, and an alias budget against "billion laughs". Every failure is a ConfigError
 * whose lines carry `line:col` but never any of the file's text.
 */
import { CST, Lexer, parseDocument, type ErrorCode } from 'yaml';
import type { ConfigIssue } from './config-issue.js';
import { configError } from './config-issue.js';

/** Largest competition file accepted, in bytes (5 MiB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** Alias budget of the YAML loader (yaml's maxAliasCount). */
export const MAX_ALIAS_COUNT = 100;
/** Deepest nesting of collections accepted. */
export const MAX_NESTING = 32;
/** Widest indentation accepted, in columns. */
export const MAX_INDENT = 512;

const YAML_PROBLEMS: Partial<Record<ErrorCode, [expected: string, found: string]>> = {
  DUPLICATE_KEY: ['unique keys in each mapping', 'a key that is already set above'],
  BAD_INDENT: ['consistent indentation', 'a line indented wrongly for its block'],
  TAB_AS_INDENT: ['spaces for indentation', 'a tab'],
  MULTIPLE_DOCS: ['a single YAML document', 'a second document (---)'],
  BAD_DQ_ESCAPE: ['valid escapes in a double-quoted string', 'an invalid escape sequence'],
  MISSING_CHAR: ['a closing quote or bracket', 'none'],
  UNEXPECTED_TOKEN: ['valid YAML', 'an unexpected character'],
  BLOCK_AS_IMPLICIT_KEY: ['a key on a single line', 'a block used as a key'],
  MULTILINE_IMPLICIT_KEY: ['a key on a single line (or "key: value" with a space after the colon)', 'a key that spans lines'],
  KEY_OVER_1024_CHARS: ['a key of at most 1024 characters', 'a longer key'],
  BAD_ALIAS: ['an alias (*name) that refers to an anchor (&name) set above', 'an alias with no such anchor'],
  ALIAS_PROPS: ['an alias without anchor or tag', 'an alias with one'],
  MULTIPLE_ANCHORS: ['at most one anchor per value', 'several'],
  MULTIPLE_TAGS: ['at most one tag per value', 'several'],
  BAD_PROP_ORDER: ['anchors and tags before the value', 'them after it'],
  BAD_SCALAR_START: ['a value that does not start with a reserved character (@ or `); quote it', 'one that does'],
  BLOCK_IN_FLOW: ['flow collections ([...], {...}) with no block structure inside', 'a block inside one'],
  BAD_DIRECTIVE: ['a known directive (%YAML or %TAG)', 'an unknown one'],
  NON_STRING_KEY: ['keys that are plain strings', 'a collection used as a key'],
  RESOURCE_EXHAUSTION: [`at most ${MAX_ALIAS_COUNT} alias expansions`, 'more (an alias bomb?)'],
  TAG_RESOLVE_FAILED: ['no explicit tags (!tag)', 'a tag this loader does not know'],
  BAD_COLLECTION_TYPE: ['a collection of the kind its tag names', 'another kind'],
};

/**
 * Parses competition-file text (or raw bytes) into plain JavaScript data. Throws a
 * ConfigError listing every YAML problem, each with its line and column.
 */
export function parseYaml(input: string | Uint8Array, file: string): unknown {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > MAX_FILE_BYTES) {
    throw configError(file, [{ path: '(file)', expected: `at most ${mib(MAX_FILE_BYTES)}`, found: mib(size) }]);
  }
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw configError(file, [{ path: '(file)', expected: 'UTF-8 text', found: 'bytes that are not valid UTF-8' }]);
    }
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);

  const tooDeep = nestingProblem(text);
  if (tooDeep) throw configError(file, [tooDeep]);

  // logLevel 'error': yaml's warnings would go to process.emitWarning, outside any error line.
  const doc = parseDocument(text, { uniqueKeys: true, merge: true, stringKeys: true, prettyErrors: true, strict: true, logLevel: 'error' });
  if (doc.errors.length > 0) {
    throw configError(
      file,
      doc.errors.map((error) => {
        const [expected, found] = YAML_PROBLEMS[error.code] ?? ['valid YAML', `a syntax error (${error.code})`];
        return { path: at(error.linePos?.[0]), expected, found };
      }),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
  } catch (err) {
    const bomb = err instanceof Error && /alias count|resource exhaustion/i.test(err.message);
    throw configError(file, [
      bomb
        ? { path: '(document)', expected: `at most ${MAX_ALIAS_COUNT} alias expansions`, found: 'more (an alias bomb?)' }
        : err instanceof ReferenceError
          ? { path: '(document)', expected: 'every alias (*name) to refer to an anchor (&name) set above it', found: 'an alias with no such anchor' }
          : { path: '(document)', expected: 'YAML that converts to plain data', found: 'a document the loader could not convert' },
    ]);
  }
}

function at(pos: { line: number; col: number } | undefined): string {
  return pos ? `line ${pos.line}:${pos.col}` : '(document)';
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 100) / 100} MiB`;
}

/**
 * Deep nesting makes the YAML composer slow and memory-hungry (5 MB of `[` takes
 * minutes), so nesting is measured on the lexer's tokens first, stopping at the limit.
 */
function nestingProblem(text: string): ConfigIssue | undefined {
  if (surelyShallow(text)) return undefined;
  let line = 1;
  let lineStart = 0;
  let offset = 0;
  let flow = 0;
  let indicators = 0;
  let atLineStart = true;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    if (type === 'byte-order-mark' || type === 'doc-mode' || type === 'flow-error-end' || type === 'scalar') continue;
    if (type === 'flow-seq-start' || type === 'flow-map-start') flow++;
    else if (type === 'flow-seq-end' || type === 'flow-map-end') flow = Math.max(0, flow - 1);
    else if (type === 'seq-item-ind' || type === 'explicit-key-ind') indicators++;
    const where = `line ${line}:${offset - lineStart + 1}`;
    if (flow > MAX_NESTING || indicators > MAX_NESTING) {
      return { path: where, expected: `at most ${MAX_NESTING} levels of nesting`, found: 'deeper nesting' };
    }
    if (atLineStart && type === 'space' && token.length > MAX_INDENT) {
      return { path: where, expected: `indentation of at most ${MAX_INDENT} columns`, found: `${token.length} columns` };
    }
    atLineStart = false;
    offset += token.length;
    const lastNewline = token.lastIndexOf('\n');
    if (lastNewline >= 0) {
      for (const c of token) if (c === '\n') line++;
      lineStart = offset - token.length + lastNewline + 1;
      indicators = 0;
      atLineStart = type === 'newline';
    }
  }
  return undefined;
}

/**
 * A cheap bound that spares most files the lexer: with at most MAX_NESTING brackets in
 * all, at most MAX_NESTING dashes or question marks on each line, and no indentation
 * over MAX_INDENT, no nesting limit can be exceeded.
 */
function surelyShallow(text: string): boolean {
  let brackets = 0;
  let indicators = 0;
  let indent = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      indicators = 0;
      indent = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      if (c === 32) {
        if (++indent > MAX_INDENT) return false;
        continue;
      }
      atLineStart = false;
    }
    if (c === 91 || c === 123) {
      if (++brackets > MAX_NESTING) return false;
    } else if (c === 45 || c === 63) {
      if (++indicators > MAX_NESTING) return false;
    }
  }
  return true;
}
