import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import startPostgresForTests from '../support/globalSetup.postgres.js';

// The reliability suites run the built service (dist/) as a child process on a real PostgreSQL
// server: the same one the postgres project starts (or the one TEST_DATABASE_URL names), once the
// service is built.
export default async function setup(project: TestProject) {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url)), '-p', 'tsconfig.build.json'], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    stdio: 'inherit',
  });
  return startPostgresForTests(project);
}
