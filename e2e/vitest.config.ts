// End-to-end tests: the headless host in a child process, driven in Debian's Chromium through playwright-core.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // A page answers later on a loaded machine (CI shares 2 cores with the host and Chromium): an expect.poll waits
    // up to 15 s for the UI to reach the state it checks, instead of vitest's 1 s, and still ends as soon as it does.
    expect: { poll: { timeout: 15_000 } },
  },
});
