import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database, Transaction } from '../db/client.js';
import { AppError } from './errors.js';
import { BULK_CHUNK_ROWS, runBulk, type BulkHandlers, type BulkRow } from './bulk.js';

// runBulk's chunking, without a database: a transaction here is a marker the handlers record, so
// that what ran where can be told apart.

const fakeTransaction = { kind: 'transaction' } as unknown as Transaction;
const fakeDatabase = {
  transaction: async <T>(work: (tx: Transaction) => Promise<T>) =>
    work({ ...fakeTransaction, transaction: <U>(inner: (savepoint: Transaction) => Promise<U>) => inner({ kind: 'savepoint' } as unknown as Transaction) } as unknown as Transaction),
} as unknown as Database;

const conflict = Object.assign(new Error('duplicate key value'), { code: '23505' });

function rowsOf(values: unknown[]): BulkRow[] {
  return values.map((value, index) => ({ row: index + 1, value }));
}

function handlers(options: { failChunk?: (call: number) => Error | null } = {}) {
  const calls = { chunks: [] as number[][], one: [] as number[], within: [] as number[] };
  const handler: BulkHandlers<number> = {
    schema: z.number().int().positive(),
    async one(value) {
      calls.one.push(value);
      if (value % 7 === 0) throw new AppError('DUPLICATE_SERVICE_PERIOD', `${value} is taken`);
      return { created: true, id: `one-${value}` };
    },
    async within(_tx, value) {
      calls.within.push(value);
      return { created: true, id: `within-${value}` };
    },
    refusalOf: (error) => ((error as { code?: string }).code === '23505' ? new AppError('DUPLICATE_SERVICE_PERIOD', 'taken meanwhile') : undefined),
    async chunk(_tx, values) {
      calls.chunks.push(values);
      const failure = options.failChunk?.(calls.chunks.length);
      if (failure) throw failure;
      return values.map((value) => (value % 5 === 0 ? new AppError('NOT_REFERRED', `${value} is not referred`) : { created: value % 2 === 0, id: `chunk-${value}` }));
    },
  };
  return { handler, calls };
}

describe('runBulk with a chunk handler', () => {
  it('sends the valid rows of each chunk of 500 to the handler once, and answers every row in order', async () => {
    const values = Array.from({ length: BULK_CHUNK_ROWS * 2 + 3 }, (_, index) => (index === 10 ? -1 : index + 1));
    const { handler, calls } = handlers();
    const results = await runBulk(fakeDatabase, rowsOf(values), false, handler);
    expect(calls.chunks.map((chunk) => chunk.length)).toEqual([BULK_CHUNK_ROWS - 1, BULK_CHUNK_ROWS, 3]);
    expect(calls.one).toEqual([]);
    expect(results.map((result) => result.row)).toEqual(values.map((_, index) => index + 1));
    expect(results[10]).toMatchObject({ status: 'refused', error: { code: 'VALIDATION_FAILED' } });
    expect(results[4]).toMatchObject({ status: 'refused', id: null, error: { code: 'NOT_REFERRED' } });
    expect(results[1]).toMatchObject({ status: 'created', id: 'chunk-2' });
    expect(results[2]).toMatchObject({ status: 'existing', id: 'chunk-3' });
  });

  it('a chunk that meets a conflict is run again row by row; the other chunks are not', async () => {
    const values = Array.from({ length: BULK_CHUNK_ROWS + 20 }, (_, index) => index + 1);
    const { handler, calls } = handlers({ failChunk: (call) => (call === 2 ? conflict : null) });
    const results = await runBulk(fakeDatabase, rowsOf(values), false, handler);
    expect(calls.one).toEqual(values.slice(BULK_CHUNK_ROWS));
    expect(results[BULK_CHUNK_ROWS]).toMatchObject({ status: 'created', id: `one-${BULK_CHUNK_ROWS + 1}` });
    const seventh = results.findIndex((result, index) => index >= BULK_CHUNK_ROWS && values[index]! % 7 === 0);
    expect(results[seventh]).toMatchObject({ status: 'refused', error: { code: 'DUPLICATE_SERVICE_PERIOD' } });
    expect(results[0]).toMatchObject({ id: 'chunk-1' });
  });

  it('any other failure of a chunk escapes: nothing is answered as if it had been stored', async () => {
    const { handler } = handlers({ failChunk: () => new Error('connection lost') });
    await expect(runBulk(fakeDatabase, rowsOf([1, 2, 3]), false, handler)).rejects.toThrow('connection lost');
  });

  it('atomic: a chunk runs in a savepoint, a conflicting one again row by row in savepoints, and one refusal refuses the lot', async () => {
    const { handler, calls } = handlers({ failChunk: () => conflict });
    const results = await runBulk(fakeDatabase, rowsOf([1, 2, 3]), true, handler);
    expect(calls.within).toEqual([1, 2, 3]);
    expect(results.map((result) => result.id)).toEqual(['within-1', 'within-2', 'within-3']);
    const allGood = handlers();
    await expect(runBulk(fakeDatabase, rowsOf([1, 2, 3, 5]), true, allGood.handler)).rejects.toMatchObject({ code: 'BULK_REFUSED', details: [{ row: 4, error: { code: 'NOT_REFERRED' } }] });
    await expect(runBulk(fakeDatabase, rowsOf([1, 2]), true, allGood.handler)).resolves.toHaveLength(2);
  });
});
