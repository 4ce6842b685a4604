import { describe, expect, test } from 'vitest';
import { GroupCommit } from '../../src/store/group-commit.js';

describe('group commit', () => {
  test('a batch abandoned while it waits is never written, and its caller gets the reason', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((r) => (release = r));
    const commit = new GroupCommit<number>(async (items) => {
      writes.push([...items]);
      if (writes.length === 1) await firstHeld;
    });
    const first = commit.submit([1]);
    const caller = new AbortController();
    const abandoned = commit.submit([2], caller.signal);
    const kept = commit.submit([3]);
    caller.abort(new Error('did not answer in time'));
    release();
    await first;
    await kept;
    await expect(abandoned).rejects.toThrow('did not answer in time');
    expect(writes).toEqual([[1], [3]]);
  });

  test('when a merged write fails, each batch is written alone, except one abandoned meanwhile', async () => {
    const writes: number[][] = [];
    let release!: () => void;
    const firstHeld = new Promise<void>((r) => (release = r));
    const caller = new AbortController();
    const commit = new GroupCommit<number>(async (items) => {
      writes.push([...items]);
      if (writes.length === 1) await firstHeld;
      if (items.length > 1) {
        caller.abort(new Error('given up'));
        throw new Error('merged write failed');
      }
    });
    const first = commit.submit([1]);
    const a = commit.submit([2]);
    const b = commit.submit([3], caller.signal);
    const c = commit.submit([4]);
    release();
    await Promise.all([first, a, c]);
    await expect(b).rejects.toThrow('given up');
    expect(writes).toEqual([[1], [2, 3, 4], [2], [4]]);
  });

  test('an already aborted signal is refused at once', async () => {
    const commit = new GroupCommit<number>(async () => undefined);
    await expect(commit.submit([1], AbortSignal.abort(new Error('too late')))).rejects.toThrow('too late');
  });
});
