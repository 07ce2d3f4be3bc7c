import { getTableColumns, sql } from 'drizzle-orm';
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

/** Most rows one prepared insert takes; a longer list (a chunk of a bulk upload) is built per call. */
export const MAX_PREPARED_INSERT_ROWS = 12;
/** Distinct shapes of rows an insert keeps a statement for; past that, inserts are built per call. */
const MAX_INSERT_TEMPLATES = 64;

interface InsertableColumn {
  defaultFn?: unknown;
  onUpdateFn?: unknown;
  shouldDisableInsert(): boolean;
}

/** What the insert builders give, as far as this kit uses them (drizzle's types are per table). */
interface PreparableInsert extends PromiseLike<unknown> {
  prepare(name: string): PreparedQuery<unknown>;
}
interface InsertTarget {
  values(rows: Record<string, unknown>[]): PreparableInsert & { returning(): PreparableInsert };
}

/**
 * An insert of rows into `table` as a statement built once for each shape of rows (which columns
 * are left out, which are null) and number of rows (up to MAX_PREPARED_INSERT_ROWS), its values as
 * placeholders. drizzle wraps a placeholder given as an insert value with its column, and runs the
 * column's own encoder on the value at each call (jsonb as JSON text, timestamps as ISO text,
 * arrays as PostgreSQL array text), so the values reach the driver as a built insert sends them.
 * It runs the encoder on a null too (a null jsonb would become JSON null, a null timestamp would
 * throw), so a null is written into the statement as SQL NULL and is part of its shape. A column
 * left out is the SQL `default`, as drizzle builds it; a column whose default is computed in
 * JavaScript (`$defaultFn`, `$onUpdate`) would have its first value fixed into the statement, so
 * such a table is refused. Returns the inserted rows when `returning`, else an empty list.
 */
export function preparedInsert<Row extends Record<string, unknown>, Inserted = Row>(table: object, name: string, options: { returning: boolean }) {
  const columns = Object.entries(getTableColumns(table as never) as Record<string, InsertableColumn>).filter(([, column]) => !column.shouldDisableInsert());
  const computed = columns.filter(([, column]) => column.defaultFn !== undefined || column.onUpdateFn !== undefined).map(([key]) => key);
  if (computed.length > 0) throw new Error(`${name}: columns ${computed.join(', ')} have defaults computed in JavaScript, which a prepared insert would fix at its first call`);
  const keys = columns.map(([key]) => key);
  const templates = new Map<string, { run: (executor: Executor, values: Record<string, unknown>) => Promise<unknown>; names: (string | null)[][] }>();
  /** Each column of a row: d(efault) when left out, n(ull), v(alue). */
  const shapeOf = (row: Row) => keys.map((key) => (row[key] === undefined ? 'd' : row[key] === null ? 'n' : 'v')).join('');

  return async (executor: Executor, rows: Row[]): Promise<Inserted[]> => {
    if (rows.length === 0) return [];
    const shapes = rows.map(shapeOf);
    const signature = shapes.join('|');
    if (rows.length > MAX_PREPARED_INSERT_ROWS || (!templates.has(signature) && templates.size >= MAX_INSERT_TEMPLATES)) {
      const built = (executor.insert(table as never) as unknown as InsertTarget).values(rows);
      if (options.returning) return (await built.returning()) as Inserted[];
      await built;
      return [];
    }
    let template = templates.get(signature);
    if (!template) {
      // The placeholders' names, row by row, for the columns that carry a value in that row.
      const names = shapes.map((shape, index) => keys.map((key, position) => (shape[position] === 'v' ? `${index}.${key}` : null)));
      const placeholders = names.map((rowNames, index) => {
        const row: Record<string, unknown> = {};
        keys.forEach((key, position) => {
          const placeholderName = rowNames[position];
          if (placeholderName) row[key] = sql.placeholder(placeholderName);
          else if (shapes[index]![position] === 'n') row[key] = sql`null`;
        });
        return row;
      });
      const run = preparedStatement<Record<string, unknown>, unknown>((db) => {
        const insert = (db.insert(table as never) as unknown as InsertTarget).values(placeholders);
        return options.returning ? insert.returning().prepare(name) : insert.prepare(name);
      });
      template = { run, names };
      templates.set(signature, template);
    }
    const values: Record<string, unknown> = {};
    rows.forEach((row, index) => {
      const rowNames = template.names[index]!;
      keys.forEach((key, position) => {
        const placeholderName = rowNames[position];
        if (placeholderName) values[placeholderName] = row[key];
      });
    });
    const result = await template.run(executor, values);
    return options.returning ? (result as Inserted[]) : [];
  };
}
