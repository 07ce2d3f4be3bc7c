import type { Executor } from './client.js';

// Statements built once per process. drizzle turns a query's builder objects into SQL text on
// every call; on the submit and approve paths that was about a third of the service's CPU (a
// profile under bench/ showed drizzle's query building, its `is` checks and `buildSelection`
// first). A query built once with placeholders (`.prepare()`) skips that: each call only fills in
// the values and maps the rows.
//
// drizzle binds a prepared query to the driver connection of the handle it was built on, so one
// built on the database would run outside the caller's transaction. Both drivers' sessions and
// prepared queries keep that connection in a `client` field (postgres.js: the pool, or the
// transaction's or savepoint's `sql`; PGlite: the instance, or its transaction), so a statement
// here is built once, on whichever executor calls first, and run each time as a copy whose client
// is the calling executor's. The field is drizzle's internal: test/prepared-statements.test.ts runs
// a statement inside a transaction that then rolls back on both drivers, and fails if drizzle
// stops keeping it there.

interface DriverBound {
  client: unknown;
}

/** What `.prepare()` gives; its `client` is internal to drizzle and checked when run. */
interface PreparedQuery<Result> {
  execute(values?: Record<string, unknown>): Promise<Result>;
}

function clientOf(executor: Executor): unknown {
  const session = (executor as unknown as { session?: Partial<DriverBound> }).session;
  if (!session || !('client' in session)) throw new Error('drizzle no longer keeps the driver connection on session.client; see src/db/prepared.ts');
  return session.client;
}

/**
 * A statement built once by `build` (a query ending in `.prepare(name)`, its values as
 * `sql.placeholder(...)`) and run on the executor given, inside its transaction if it has one.
 */
export function preparedStatement<Values extends Record<string, unknown>, Result>(build: (executor: Executor) => PreparedQuery<Result>) {
  let template: PreparedQuery<Result> | undefined;
  return (executor: Executor, values: Values): Promise<Result> => {
    template ??= build(executor);
    if (!('client' in template)) throw new Error('drizzle no longer keeps the driver connection on a prepared query; see src/db/prepared.ts');
    const bound = Object.create(template) as PreparedQuery<Result> & DriverBound;
    bound.client = clientOf(executor);
    return bound.execute(values);
  };
}
