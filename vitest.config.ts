import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start brokers and share a machine with 2 cores; keep files from
    // stampeding the same broker.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
