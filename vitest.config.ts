// Unit and integration tests: every foo.test.ts beside its foo.ts. End-to-end tests have their own config in e2e/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'resources/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
