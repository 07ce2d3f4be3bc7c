import { asc, eq, inArray, sql } from 'drizzle-orm';
import { pgTable, text } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import type { Executor } from '../src/db/client.js';
import { newId } from '../src/db/ids.js';
import { MAX_PREPARED_INSERT_ROWS, preparedInsert, preparedStatement } from '../src/db/prepared.js';
import { auditEvents, institutions, users } from '../src/db/schema.js';
import { type TestApp } from './support/testApp.js';
import { withTestApp } from './support/lifecycle.js';

// A statement built once runs on whichever executor calls it: inside that executor's transaction
// (and savepoint), never beside it. This holds src/db/prepared.ts to drizzle's internals on both
// drivers: if drizzle stops keeping the connection where prepared.ts reads it, this fails.

let test: TestApp;
withTestApp((made) => (test = made));

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
  await executor.insert(users).values({ id, name, role: 'admin', username: `u${id.replaceAll('-', '').slice(-20)}` });
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

describe('inserts prepared once per shape of rows', () => {
  const institutionsInsert = preparedInsert<typeof institutions.$inferInsert, typeof institutions.$inferSelect>(institutions, 'test_insert_institutions', { returning: true });
  const usersInsert = preparedInsert<typeof users.$inferInsert>(users, 'test_insert_users', { returning: false });
  const auditInsert = preparedInsert<typeof auditEvents.$inferInsert>(auditEvents, 'test_insert_audit', { returning: false });

  function institution(code: string, services: string[]): typeof institutions.$inferInsert {
    return { id: newId(), code, name: `机构${code}`, regionCode: '511702', services, bankName: '中国农业银行', bankAccountName: `机构${code}`, bankAccountNumber: '622848000000001' };
  }
  function auditEvent(data: Record<string, unknown>, extra: Partial<typeof auditEvents.$inferInsert> = {}): typeof auditEvents.$inferInsert {
    return { id: newId(), at: new Date('2026-03-04T05:06:07.089Z'), actorId: null, actorRole: 'reviewer', action: 'claim.approved', entityType: 'claim', entityId: newId(), regionCode: '511702', data, requestId: null, ...extra };
  }
  /** A row as read back, without the columns that differ between two inserts of the same content. */
  // (xid: the writing transaction's id, set by the database.)
  const content = ({ id: _id, entityId: _entityId, code: _code, name: _name, bankAccountName: _account, tokenHash: _hash, createdAt: _created, xid: _xid, ...rest }: Record<string, unknown>) => rest;

  it('write what a built insert writes: arrays, JSON, timestamps, nulls and column defaults', async () => {
    const suffix = newId().slice(-8);
    // JSON of several kinds, a null JSON value inside, Chinese text, an empty array.
    const data = { approvedAmount: '1700.00', steps: [{ label: '总费用', amount: '1800.00' }], note: null, nested: { months: ['2025-03'] } };
    const preparedRows = [institution(`P1${suffix}`, ['training', 'device']), institution(`P2${suffix}`, [])];
    const builtRows = [institution(`B1${suffix}`, ['training', 'device']), institution(`B2${suffix}`, [])];
    const returned = await institutionsInsert(test.db, preparedRows);
    await test.db.insert(institutions).values(builtRows);
    expect(returned.map((row) => row.id).sort()).toEqual(preparedRows.map((row) => row.id).sort());
    const readBack = async (ids: string[]) => (await test.db.select().from(institutions).where(inArray(institutions.id, ids)).orderBy(asc(institutions.code))).map(content);
    expect(await readBack(preparedRows.map((row) => row.id!))).toEqual(await readBack(builtRows.map((row) => row.id!)));
    expect((await readBack([preparedRows[1]!.id!]))[0]).toMatchObject({ services: [] });

    const preparedEvents = [auditEvent(data), auditEvent({ text: '康复训练' }, { requestId: 'r-1', actorRole: null })];
    const builtEvents = [auditEvent(data), auditEvent({ text: '康复训练' }, { requestId: 'r-1', actorRole: null })];
    await auditInsert(test.db, preparedEvents);
    await test.db.insert(auditEvents).values(builtEvents);
    const events = async (rows: (typeof auditEvents.$inferInsert)[]) =>
      (await test.db.select().from(auditEvents).where(inArray(auditEvents.id, rows.map((row) => row.id!))).orderBy(asc(auditEvents.id))).map(content);
    const written = await events(preparedEvents);
    expect(written).toEqual(await events(builtEvents));
    expect(written[0]).toMatchObject({ data, at: new Date('2026-03-04T05:06:07.089Z'), actorId: null, requestId: null });
    expect(written[1]).toMatchObject({ actorRole: null, requestId: 'r-1' });

    // A column left out takes its SQL default (bootstrap false, created now); a null timestamp stays SQL NULL.
    const id = newId();
    await usersInsert(test.db, [{ id, name: '默认值', role: 'admin', username: `u${id.replaceAll('-', '').slice(-20)}`, disabledAt: null }]);
    const [user] = await test.db.select().from(users).where(eq(users.id, id));
    expect(user).toMatchObject({ bootstrap: false, disabledAt: null });
    expect(user!.createdAt).toBeInstanceOf(Date);
  });

  it('take each call’s values, a null where the last call had a value and back, and many rows as one built insert', async () => {
    const first = auditEvent({ n: 1 }, { requestId: 'first' });
    const second = auditEvent({ n: 2 }, { requestId: null });
    const third = auditEvent({ n: 3 }, { requestId: 'third' });
    for (const row of [first, second, third]) await auditInsert(test.db, [row]);
    const many = Array.from({ length: MAX_PREPARED_INSERT_ROWS + 3 }, (_, index) => auditEvent({ n: 10 + index }));
    await auditInsert(test.db, many);
    const rows = await test.db
      .select({ id: auditEvents.id, data: auditEvents.data, requestId: auditEvents.requestId })
      .from(auditEvents)
      .where(inArray(auditEvents.id, [first, second, third, ...many].map((row) => row.id!)))
      .orderBy(asc(auditEvents.id));
    expect(rows.map((row) => [row.data, row.requestId])).toEqual([
      [{ n: 1 }, 'first'],
      [{ n: 2 }, null],
      [{ n: 3 }, 'third'],
      ...many.map((row) => [row.data, null]),
    ]);
  });

  it('run inside the caller’s transaction, so a rollback takes the rows back', async () => {
    const row = auditEvent({ rolledBack: true });
    await test.db
      .transaction(async (tx) => {
        await auditInsert(tx, [row]);
        expect(await tx.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.id, row.id!))).toHaveLength(1);
        throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    expect(await test.db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.id, row.id!))).toEqual([]);
  });

  it('refuse a table whose default is computed in JavaScript, which a statement built once would fix', () => {
    const stamped = pgTable('test_stamped', { id: text('id').primaryKey(), stamp: text('stamp').$defaultFn(() => new Date().toISOString()) });
    expect(() => preparedInsert(stamped, 'test_insert_stamped', { returning: false })).toThrow(/stamp.*computed in JavaScript/);
  });
});

// PGlite runs in the process and has no protocol to choose; on PostgreSQL, postgres.js would send a
// query without parameters by the simple protocol, parsed and planned on every call.
describe.runIf(process.env.TEST_DB === 'postgres')('queries without parameters on PostgreSQL', () => {
  it('are prepared once per connection, while a text of several statements still runs', async () => {
    const marker = `prepared_${newId().slice(-12)}`;
    const text = `select count(*)::int as ${marker} from calendar_years`;
    const prepared = await test.db.transaction(async (tx) => {
      await tx.execute(sql.raw(text));
      await tx.execute(sql.raw(text));
      return tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement = ${text}`);
    });
    expect((prepared as unknown as { n: number }[])[0]!.n).toBe(1);
    const several = await test.db.execute(sql.raw('select 1 as one; select 2 as two'));
    expect(several).toBeDefined();
  });
});
