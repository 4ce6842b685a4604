/**
 * Reads an HTTP answer's body up to a limit with stream events rather than
 * `for await`: an async iterator over a stream makes its own objects and promises per
 * body (createAsyncIterator, a promise per chunk), which a check thread making a
 * request per check paid for in every check (docs/benchmarks.md, "Measurements behind
 * source comments").
 */
import type { Readable } from 'node:stream';

/** What was read. */
export interface ReadBody {
  readonly chunks: Buffer[];
  /** More than `limit` bytes arrived; reading stopped there. */
  readonly truncated: boolean;
}

/** The stream closed before its end (a reset connection). */
export class BodyClosedEarlyError extends Error {
  constructor() {
    super('the connection closed before the body ended');
    this.name = 'BodyClosedEarlyError';
  }
}

const ignore = (): void => undefined;

/**
 * Reads `body` until its end or until more than `limit` bytes arrived (the last chunk
 * is kept whole). Rejects with the stream's error, or BodyClosedEarlyError when it
 * closes without ending. The caller destroys the stream afterwards.
 */
export function readBody(body: Readable, limit: number): Promise<ReadBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
      body.off('close', onClose);
      // An error after this (the caller destroying the rest) must not go unhandled.
      body.on('error', ignore);
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        settle();
        body.pause();
        resolve({ chunks, truncated: true });
      }
    };
    const onEnd = () => {
      settle();
      resolve({ chunks, truncated: false });
    };
    const onError = (err: Error) => {
      settle();
      reject(err);
    };
    const onClose = () => {
      settle();
      reject(new BodyClosedEarlyError());
    };
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', onError);
    body.on('close', onClose);
  });
}
