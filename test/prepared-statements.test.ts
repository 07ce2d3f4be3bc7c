import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/client.js';
import { newId } from '../src/db/ids.js';
import { preparedStatement } from '../src/db/prepared.js';
import { users } from '../src/db/schema.js';
import { createTestApp, type TestApp } from './support/testApp.js';

// A statement built once runs on whichever executor calls it: inside that executor's transaction
// (and savepoint), never beside it. This holds src/db/prepared.ts to drizzle's internals on both
// drivers: if drizzle stops keeping the connection where prepared.ts reads it, this fails.

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});
afterAll(async () => test?.close());

const usersByIds = preparedStatement<{ ids: string[] }, { id: string; name: string }[]>((db: Executor) =>
  db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(sql`${users.id} = any(${sql.placeholder('ids')})`)
    .orderBy(asc(users.id))
    .prepare('test_users_by_ids'),
);
const userById = preparedStatement<{ id: string }, { name: string }[]>((db: Executor) =>
  db.select({ name: users.name }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare('test_user_by_id'),
);

class RolledBack extends Error {}

async function insertUser(executor: Executor, name: string) {
  const id = newId();
  await executor.insert(users).values({ id, name, role: 'admin', tokenHash: id.replaceAll('-', '').padEnd(64, '0') });
  return id;
}

describe('statements prepared once', () => {
  it('run inside the caller’s transaction and savepoint, and see nothing of one rolled back', async () => {
    let insideTransaction: string | undefined;
    let insideSavepoint: { id: string; name: string }[] = [];
    let id = '';
    let savepointId = '';
    await test.db
      .transaction(async (tx) => {
        // Built first inside the transaction, so the statement's own connection is the transaction's.
        id = await insertUser(tx, '事务内');
        insideTransaction = (await userById(tx, { id }))[0]?.name;
        await tx.transaction(async (savepoint) => {
          savepointId = await insertUser(savepoint, '保存点内');
          insideSavepoint = await usersByIds(savepoint, { ids: [id, savepointId] });
        });
        // Outside the transaction it is not there yet (PGlite has one connection: it would wait).
        if (test.kind === 'postgres') expect(await userById(test.db, { id })).toEqual([]);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    expect(insideTransaction).toBe('事务内');
    expect(insideSavepoint.map((row) => row.name).sort()).toEqual(['事务内', '保存点内'].sort());
    expect(await usersByIds(test.db, { ids: [id, savepointId] })).toEqual([]);
  });

  it('take new values on every call, an array for any()', async () => {
    const first = await insertUser(test.db, '甲');
    const second = await insertUser(test.db, '乙');
    expect((await usersByIds(test.db, { ids: [first, second] })).map((row) => row.name)).toEqual(['甲', '乙']);
    expect((await usersByIds(test.db, { ids: [second] })).map((row) => row.name)).toEqual(['乙']);
    expect(await usersByIds(test.db, { ids: [] })).toEqual([]);
    expect((await userById(test.db, { id: first }))[0]?.name).toBe('甲');
  });
});
