/** Reads a competition file's bytes, never more than one byte past the size cap. */
import { createReadStream } from 'node:fs';
import { configError } from './config-issue.js';
import { MAX_FILE_BYTES } from './parse-yaml.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'a directory',
  ENOTDIR: 'a path through something that is not a directory',
};

/** The file's bytes; a ConfigError when it cannot be read or is over MAX_FILE_BYTES. */
export async function readConfigFile(path: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    // `end` is inclusive: at most MAX_FILE_BYTES + 1 bytes are read, enough to tell "too big".
    for await (const chunk of createReadStream(path, { end: MAX_FILE_BYTES })) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EIO';
    throw configError(path, [{ path: '(file)', expected: 'a readable file', found: REASONS[code] ?? `an error (${code})` }]);
  }
  if (length > MAX_FILE_BYTES) {
    throw configError(path, [{ path: '(file)', expected: `at most ${MAX_FILE_BYTES / 1024 / 1024} MiB`, found: 'a larger file' }]);
  }
  return Buffer.concat(chunks, length);
}
