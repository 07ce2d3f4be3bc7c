import type { SQL } from 'drizzle-orm';
import type { Executor } from './client.js';

/** The rows of a raw query: postgres.js answers them as an array, PGlite in `rows`. */
export async function queryRows<Row>(db: Executor, query: SQL): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown as { rows?: Row[] } | Row[];
  return Array.isArray(result) ? result : (result.rows ?? []);
}
