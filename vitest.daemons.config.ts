import { defineConfig } from 'vitest/config';

// Protocol checks against real Debian daemons (installed by .ci/run or scripts/install-test-servers.sh).
export default defineConfig({
  resolve: { alias: { scorekeeper: new URL('./src/index.ts', import.meta.url).pathname } },
  test: {
    include: ['test/daemons/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
