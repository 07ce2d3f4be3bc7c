import { defineConfig } from 'vitest/config';

// Three projects: unit tests beside the code; the HTTP tests under test/ once on the embedded
// database (PGlite) and once on a real PostgreSQL 15 server that the run starts itself.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['src/**/*.test.ts'] } },
      {
        extends: true,
        test: { name: 'pglite', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'], env: { TEST_DB: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['test/**/*.test.ts'],
          exclude: ['test/e2e/**'],
          env: { TEST_DB: 'postgres' },
          globalSetup: ['test/support/globalSetup.postgres.ts'],
        },
      },
    ],
  },
});
