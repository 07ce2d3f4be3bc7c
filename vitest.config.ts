import { defineConfig } from 'vitest/config';

// Five projects: unit tests beside the code (and test/unit/ for the set-up step and the
// architecture, which belong to no one file of src/); the HTTP tests under test/ once on the embedded
// database (PGlite) and once on a real PostgreSQL 15 server that the run starts itself; and the
// reliability suites (crash, load), which run the built service as a process on PostgreSQL; and
// the web console's end-to-end tests in Debian's Chromium.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts', 'reports/**/*.test.ts', 'test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'pglite', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**', 'test/reliability/**', 'test/unit/**'], env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**', 'test/reliability/**', 'test/unit/**'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/support/globalSetup.postgres.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/reliability/globalSetup.ts'],
          // The suites share the machine's two cores with the service they drive: one at a time,
          // and after the other projects have finished.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/globalSetup.ts'],
          // The web console in Debian's Chromium against the built service, last of all.
          fileParallelism: false,
          sequence: { groupOrder: 2 },
          testTimeout: 60_000,
        },
      },
    ],
  },
});
