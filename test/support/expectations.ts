import { expect } from 'vitest';
import type { Database } from '../../src/db/client.js';
import { tableCounts, type Response } from './testApp.js';

/** A request refused with `status` and `code` that changes no table: bad input changes nothing. */
export async function expectRefusedUnchanged(db: Database, send: () => Promise<Response>, status: number, code: string): Promise<Response> {
  const before = await tableCounts(db);
  const response = await send();
  expect([response.status, response.body.error?.code]).toEqual([status, code]);
  expect(await tableCounts(db)).toEqual(before);
  return response;
}
