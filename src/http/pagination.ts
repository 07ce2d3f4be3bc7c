import { isValidDate } from '../domain/calendar.js';
import { isUuid } from '../db/ids.js';
import { validationFailed } from './errors.js';

// Lists page by keyset. Most lists order by id (UUIDv7, so id order is creation order) and the
// cursor is the last id of the page; a list ordered otherwise adds its sort key before the id.
// The cursor is opaque to clients: base64url of the key's parts.

export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(key.join('|'), 'utf8').toString('base64url');
}

const invalidCursor = () => validationFailed('cursor is not one this service gave out', [{ field: 'cursor' }]);

/** The last id of the previous page, or undefined for the first page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw invalidCursor();
  return id;
}

/** A cursor of a list ordered by a date, then id. */
export function decodeDateCursor(cursor: string | undefined): { date: string; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const [date, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !date || !id || !isValidDate(date) || !isUuid(id)) throw invalidCursor();
  return { date, id };
}

/** A cursor of a list ordered by a timestamp, then id. */
export function decodeTimestampCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const instant = at ? new Date(at) : undefined;
  if (rest.length > 0 || !instant || Number.isNaN(instant.getTime()) || !id || !isUuid(id)) throw invalidCursor();
  return { at: instant, id };
}

/** Takes rows fetched with limit + 1 and returns the page and the cursor of the next one. */
export function page<T extends { id: string }>(
  rows: T[],
  limit: number,
  keyOf: (row: T) => readonly string[] = (row) => [row.id],
): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}

/** A page as the API answers it (`{ items, nextCursor }`): rows fetched with limit + 1, each presented. */
export function presentPage<T extends { id: string }, Item>(rows: T[], limit: number, present: (row: T) => Item): { items: Item[]; nextCursor: string | null } {
  const result = page(rows, limit);
  return { items: result.items.map(present), nextCursor: result.nextCursor };
}
