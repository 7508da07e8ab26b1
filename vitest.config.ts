// Unit and integration tests: every foo.test.ts beside its foo.ts. End-to-end tests have their own config in e2e/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'resources/**/*.test.ts', 'scripts/**/*.test.ts', 'electron/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // expect.poll waits for a state the code reaches asynchronously; on a loaded 2-core CI that can take over vitest's 1 s.
    expect: { poll: { timeout: 10_000 } },
  },
});
