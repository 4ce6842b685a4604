/** The Store contract on the embedded PGlite (temp data folder), and its restart. */
import { describe, expect, test } from 'vitest';
import { openEmbeddedStore, openStore } from '../../src/store/embedded.js';
import { StoreError } from '../../src/errors.js';
import { tempDataDir, tempEmbeddedStore } from '../support/pg.js';
import { storeContract } from './store-contract.js';
import { rmSync } from 'node:fs';

storeContract('embedded PGlite', async () => {
  const e = await tempEmbeddedStore();
  console.log(`embedded start: first start (initdb) ${e.store.startup.ms} ms`);
  return { store: e.store, dispose: () => e.remove() };
});

describe('embedded store', () => {
  test('keeps its data across a restart and refuses a second opener while open', async () => {
    const dataDir = await tempDataDir({ initialized: true });
    try {
      const first = await openStore({ dataDir });
      expect(first.kind).toBe('embedded');
      await first.init();
      await first.beginScan('restart', 1_000);
      await expect(openEmbeddedStore({ dataDir })).rejects.toThrow(StoreError);
      await first.close();
      const second = await openEmbeddedStore({ dataDir });
      try {
        expect(second.startup.created).toBe(false);
        console.log(`embedded start: later start ${second.startup.ms} ms`);
        await second.init();
        expect((await second.beginScan('restart', 2_000)).round).toBe(2);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
