import { and, asc, desc, gt, lt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgSelect } from 'drizzle-orm/pg-core';

// A page of a list by keyset on its id: ids are UUIDv7, so id order is creation order. The query
// (what it selects and joins) and its conditions are the caller's; this adds the cursor, the order
// and one row more than the page, which tells the caller whether another page follows
// (http/pagination.ts).

export interface IdPage {
  /** The last id of the page before; none for the first page. */
  after?: string | undefined;
  limit: number;
  /** Newest first: the page holds the ids before `after`. */
  newestFirst?: boolean;
}

export function inIdPages<Query extends PgSelect>(query: Query, id: PgColumn, conditions: readonly (SQL | undefined)[], page: IdPage) {
  const cursor = page.after === undefined ? undefined : page.newestFirst ? lt(id, page.after) : gt(id, page.after);
  return query
    .where(and(...conditions, cursor))
    .orderBy(page.newestFirst ? desc(id) : asc(id))
    .limit(page.limit + 1);
}
