import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'rules/**/*.test.ts', 'bench/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // End-to-end tests run real daemons, namespaces and attack tools on 2 cores: one retry
    // absorbs a start-up that lost a race with its neighbours; a real failure fails twice.
    retry: 1,
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
