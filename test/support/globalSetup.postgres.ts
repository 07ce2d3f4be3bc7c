import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgresServer.js';

// The postgres project's tests run on a real PostgreSQL 15 server: one throw-away cluster for the
// run (each test file creates its own database in it), or the server named by TEST_DATABASE_URL.

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_DATABASE_URL) {
    project.provide('postgresUrl', process.env.TEST_DATABASE_URL);
    return;
  }
  const server = await startPostgres();
  project.provide('postgresUrl', server.url);
  return () => server.stop();
}
