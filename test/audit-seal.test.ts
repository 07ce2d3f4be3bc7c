import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { recordAudit } from '../src/audit/audit.repository.js';
import { sealAuditTrail, startAuditSealer } from '../src/audit/auditSealer.js';
import { countUnsealed } from '../src/audit/auditSeals.repository.js';
import { verifyAuditTrail } from '../src/audit/auditVerify.js';
import { openDatabase } from '../src/db/client.js';
import { newId } from '../src/db/ids.js';
import { queryRows } from '../src/db/rows.js';
import { randomBytes } from 'node:crypto';
import { GENESIS_HASH, nextChainHash } from '../src/audit/auditChain.js';
import { sealsWithRows } from '../src/audit/auditSeals.repository.js';
import { ephemeralKeyring, keyringOf, writeKeyFile } from '../src/keys/serviceKeys.js';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { answerTo } from './support/sql.js';
import { type TestApp } from './support/testApp.js';
import { referredChild, registerChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// The audit trail the database itself protects (security.md §4): UPDATE, DELETE and TRUNCATE are
// refused on it by triggers, on PGlite and on PostgreSQL, for the service's own database user too;
// its rows are sealed in order into a keyed hash chain outside business transactions; and
// verify-audit names the first row that was changed, removed or inserted out of order.

const onPostgres = process.env.TEST_DB === 'postgres';
let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));
beforeAll(async () => {
  // Some of everything: children, an application, claims approved and batched, issued by a second reviewer.
  for (let index = 0; index < 3; index++) {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
    await submitAndApprove(world.a, world.reviewer, trainingClaim(child.id, '2026-01', '2026-02', '3000'));
  }
  const drafts = await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id });
  await world.reviewer2.post(`/api/v1/batches/${drafts.body.batches[0].id}/issue`, {});
});

/** Runs SQL as a superuser with the append-only triggers switched off, as an intruder with the database's keys could. */
async function tamper(statement: string) {
  await test.db.execute(sql.raw('alter table audit_events disable trigger audit_events_append_only'));
  try {
    await test.db.execute(sql.raw(statement));
  } finally {
    await test.db.execute(sql.raw('alter table audit_events enable always trigger audit_events_append_only'));
  }
}

async function auditRow(action: string) {
  const rows = await queryRows<{ id: string; data: string }>(test.db, sql`select id::text as id, data::text as data from audit_events where action = ${action} order by id limit 1`);
  return rows[0]!;
}

describe('append-only', () => {
  it('the database refuses UPDATE, DELETE and TRUNCATE of the audit trail, its seals and the access log, and nothing changes', async () => {
    await sealAuditTrail(test.db, test.keyring);
    await world.reviewer.get(`/api/v1/children?q=张`);
    const counts = async () =>
      (await queryRows<{ audit: string; seals: string; access: string }>(
        test.db,
        sql`select (select count(*) from audit_events)::text as audit, (select count(*) from audit_seals)::text as seals, (select count(*) from access_log)::text as access`,
      ))[0];
    const before = await counts();
    const sample = await auditRow('child.registered');
    for (const statement of [
      `update audit_events set data = '{}' where id = '${sample.id}'`,
      `delete from audit_events where id = '${sample.id}'`,
      'truncate audit_events cascade',
      'update audit_seals set chain_hash = repeat(\'0\', 64)',
      'delete from audit_seals',
      'truncate audit_seals',
      'update audit_seal_runs set key_id = \'x\'',
      'delete from audit_seal_runs',
      "update access_log set action = 'read'",
      'delete from access_log',
      'truncate access_log',
    ]) {
      expect(await answerTo(test.db, statement), statement).toBe('42501');
    }
    expect(await counts()).toEqual(before);
    expect((await auditRow('child.registered')).data).toBe(sample.data);
  });

  it.runIf(onPostgres)('on PostgreSQL the service’s own database user (not a superuser, the owner of its tables) is refused too', async () => {
    const serverUrl = inject('postgresUrl');
    const suffix = newId().slice(-8).replaceAll('-', '');
    const role = `rehab_service_${suffix}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create role ${role} login`);
    await admin.unsafe(`create database ${role} owner ${role}`);
    const url = new URL(serverUrl);
    url.username = role;
    url.pathname = `/${role}`;
    // The service migrates its own database as that user, as an office runs it.
    const own = await openDatabase({ databaseUrl: url.toString(), dataDir: 'unused', poolSize: 2 });
    try {
      const [me] = await queryRows<{ superuser: boolean }>(own.db, sql`select rolsuper as superuser from pg_roles where rolname = current_user`);
      expect(me!.superuser).toBe(false);
      const id = newId();
      await own.db.transaction((tx) => recordAudit(tx, null, { action: 'calendar.recorded', entityType: 'calendar', entityId: id, regionCode: null, data: { year: 2099 } }));
      await own.db.execute(sql`insert into access_log (id, at, action, entity_type) values (${newId()}, now(), 'read', 'child')`);
      expect(await answerTo(own.db, `update audit_events set data = '{"year": 2000}' where entity_id = '${id}'`)).toBe('42501');
      expect(await answerTo(own.db, `delete from audit_events where entity_id = '${id}'`)).toBe('42501');
      expect(await answerTo(own.db, 'truncate audit_events')).toBe('42501');
      expect(await answerTo(own.db, "update access_log set action = 'search'")).toBe('42501');
      expect(await answerTo(own.db, 'delete from access_log')).toBe('42501');
      expect(await answerTo(own.db, 'truncate access_log')).toBe('42501');
      const [row] = await queryRows<{ data: unknown }>(own.db, sql`select data from audit_events where entity_id = ${id}`);
      expect(row!.data).toEqual({ year: 2099 });
    } finally {
      await own.close();
      await admin.unsafe(`drop database if exists ${role} with (force)`);
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});

describe('sealing and verify-audit', () => {
  it('seals every row in order; verify-audit then holds, and sealing again seals nothing twice', async () => {
    await sealAuditTrail(test.db, test.keyring);
    expect(await countUnsealed(test.db)).toBe(0);
    const result = await verifyAuditTrail(test.db, test.keyring);
    expect(result).toMatchObject({ ok: true, problem: null, pending: 0 });
    const [{ events }] = (await queryRows<{ events: string }>(test.db, sql`select count(*)::text as events from audit_events`)) as [{ events: string }];
    expect(result.sealed).toBe(Number(events));
    expect((await sealAuditTrail(test.db, test.keyring)).sealed).toBe(0);
    // Rows written later are sealed after them, continuing the chain.
    await registerChild(world.reviewer);
    expect(await countUnsealed(test.db)).toBe(1);
    expect((await sealAuditTrail(test.db, test.keyring)).sealed).toBe(1);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('a backlog (the first start after an upgrade) is sealed in several transactions, each after the last, into one chain', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const [{ runs: runsBefore }] = (await queryRows<{ runs: string }>(test.db, sql`select count(*)::text as runs from audit_seal_runs`)) as [{ runs: string }];
    await test.db.execute(sql`insert into audit_events (id, at, action, entity_type, entity_id, data)
      select gen_random_uuid(), now(), 'calendar.recorded', 'calendar', gen_random_uuid(), jsonb_build_object('n', n) from generate_series(1, 12000) as n`);
    expect((await sealAuditTrail(test.db, test.keyring)).sealed).toBe(12000);
    expect(await countUnsealed(test.db)).toBe(0);
    const [{ runs }] = (await queryRows<{ runs: string }>(test.db, sql`select count(*)::text as runs from audit_seal_runs`)) as [{ runs: string }];
    expect(Number(runs) - Number(runsBefore)).toBe(3);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('names the row a superuser changed with the triggers off; the row put back as it was, the chain holds again', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const row = await auditRow('claim.approved');
    await tamper(`update audit_events set data = jsonb_set(data, '{approvedAmount}', '"99999.00"') where id = '${row.id}'`);
    const broken = await verifyAuditTrail(test.db, test.keyring);
    expect(broken.ok).toBe(false);
    expect(broken.problem).toMatchObject({ kind: 'changed', auditId: row.id });
    expect(broken.problem!.message).toContain(row.id);
    await tamper(`update audit_events set data = '${row.data.replaceAll("'", "''")}'::jsonb where id = '${row.id}'`);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('names a removed row', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const [row] = await queryRows<Record<string, string | null>>(test.db, sql`select * from audit_events where action = 'batch.issued' limit 1`);
    await tamper(`delete from audit_events where id = '${row!.id}'`);
    const broken = await verifyAuditTrail(test.db, test.keyring);
    expect(broken.problem).toMatchObject({ kind: 'removed', auditId: row!.id });
    // Put back exactly (inserting is what the service itself does): the chain holds again.
    await test.db.execute(sql`insert into audit_events (id, at, actor_id, actor_role, action, entity_type, entity_id, region_code, data, request_id, xid)
      select id, at, actor_id, actor_role, action, entity_type, entity_id, region_code, data, request_id, xid
      from jsonb_populate_record(null::audit_events, ${JSON.stringify(row)}::jsonb)`);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('names a row inserted out of order (among rows sealed already), and the sealer does not seal it', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const forged = newId();
    await test.db.execute(sql`insert into audit_events (id, at, action, entity_type, entity_id, data, xid)
      values (${forged}, '2026-01-01T00:00:00Z', 'batch.paid', 'batch', ${newId()}, '{}', '3'::xid8)`);
    await sealAuditTrail(test.db, test.keyring);
    const broken = await verifyAuditTrail(test.db, test.keyring);
    expect(broken.problem).toMatchObject({ kind: 'out_of_order', auditId: forged });
    await tamper(`delete from audit_events where id = '${forged}'`);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('an instance whose key file lacks the key of the last seal does not seal: no chain no key file can check', async () => {
    await sealAuditTrail(test.db, test.keyring);
    await registerChild(world.reviewer);
    await expect(sealAuditTrail(test.db, ephemeralKeyring())).rejects.toThrow(/does not hold/);
    expect(await countUnsealed(test.db)).toBe(1);
    await sealAuditTrail(test.db, test.keyring);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it('the running service seals what is written within its interval, without being asked', async () => {
    const stop = startAuditSealer(test.db, test.keyring, { log: { info: () => {}, error: () => {} }, intervalMs: 50 });
    try {
      await registerChild(world.reviewer);
      await expect.poll(() => countUnsealed(test.db), { timeout: 10_000, interval: 50 }).toBe(0);
    } finally {
      await stop();
    }
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
  });

  it.runIf(onPostgres)('a transaction that commits after later ones is sealed once it commits; the sealer never waits for it', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const connection = postgres(test.databaseUrl!, { max: 1, onnotice: () => {} });
    const early = newId();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const written = new Promise<void>((resolve) => (inserted = resolve));
    // A business transaction writes its audit row first and commits last.
    const transaction = connection.begin(async (tx) => {
      await tx`insert into audit_events (id, at, action, entity_type, entity_id, data) values (${early}, now(), 'calendar.recorded', 'calendar', ${newId()}, '{}')`;
      inserted();
      await held;
    });
    try {
      await written;
      const later = await registerChild(world.reviewer);
      // The sealer runs while that transaction holds its row: it seals the later one and returns.
      await sealAuditTrail(test.db, test.keyring);
      const sealed = await queryRows<{ id: string }>(test.db, sql`select audit_id::text as id from audit_seals where audit_id in (${early}, (select id from audit_events where entity_id = ${later.id}))`);
      expect(sealed.map((row) => row.id)).not.toContain(early);
      expect(sealed).toHaveLength(1);
      expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
    } finally {
      release();
      await transaction;
    }
    await sealAuditTrail(test.db, test.keyring);
    expect(await countUnsealed(test.db)).toBe(0);
    expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
    await connection.end();
  });

  it.runIf(onPostgres)('several instances seal at the same time: every row once, in one chain', async () => {
    const second = await openDatabase({ databaseUrl: test.databaseUrl!, dataDir: 'unused', poolSize: 2 });
    try {
      for (let index = 0; index < 5; index++) await registerChild(world.reviewer);
      const outcomes = await Promise.all([0, 1, 2, 3].map((index) => sealAuditTrail(index % 2 ? second.db : test.db, test.keyring)));
      expect(outcomes.reduce((sum, outcome) => sum + outcome.sealed, 0)).toBe(5);
      expect(await countUnsealed(test.db)).toBe(0);
      expect((await verifyAuditTrail(test.db, test.keyring)).ok).toBe(true);
    } finally {
      await second.close();
    }
  });

  it.runIf(onPostgres)('npm run verify-audit exits 0 when all holds, and 1 naming the row a superuser changed', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const folder = mkdtempSync(join(tmpdir(), 'rehab-verify-'));
    const keyFile = join(folder, 'keys', 'data.key');
    writeKeyFile(keyFile, [test.keyring.current]);
    const run = () => {
      const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/audit/verifyAuditCommand.ts'], {
        env: { ...process.env, DATABASE_URL: test.databaseUrl!, DATA_KEY_FILE: keyFile },
        encoding: 'utf8',
      });
      return { code: result.status, output: `${result.stdout}${result.stderr}` };
    };
    try {
      const good = run();
      expect(good.code, good.output).toBe(0);
      expect(good.output).toContain('audit trail verified');
      const row = await auditRow('application.approved');
      await tamper(`update audit_events set actor_role = 'admin' where id = '${row.id}'`);
      const bad = run();
      expect(bad.code, bad.output).toBe(1);
      expect(bad.output).toContain(row.id);
      expect(bad.output).toContain('changed');
      await tamper(`update audit_events set actor_role = 'reviewer' where id = '${row.id}'`);
      expect(run().code).toBe(0);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  // Last: the intruder’s chain is left in place.
  it('a chain recomputed by someone without the key file does not pass: the seals are keyed', async () => {
    await sealAuditTrail(test.db, test.keyring);
    const row = await auditRow('application.filed');
    // An intruder changes a row and writes every seal again, with a key of their own under the real key's id.
    const intruder = keyringOf([{ ...test.keyring.current, secret: randomBytes(32) }]);
    await tamper(`update audit_events set data = jsonb_set(data, '{year}', '2020') where id = '${row.id}'`);
    await test.db.execute(sql.raw('alter table audit_seals disable trigger audit_seals_append_only'));
    try {
      let previous = GENESIS_HASH;
      for (const seal of await sealsWithRows(test.db, 0, 100_000)) {
        previous = nextChainHash(intruder.derive('audit-seal'), previous, seal);
        await test.db.execute(sql`update audit_seals set chain_hash = ${previous} where seq = ${Number(seal.seq)}`);
      }
      const result = await verifyAuditTrail(test.db, test.keyring);
      expect(result.ok).toBe(false);
      expect(result.problem).toMatchObject({ kind: 'changed', seq: 1 });
      // A key file without the sealing key cannot check the chain at all, and says so.
      expect((await verifyAuditTrail(test.db, ephemeralKeyring())).problem?.kind).toBe('unknown_key');
    } finally {
      await test.db.execute(sql.raw('alter table audit_seals enable always trigger audit_seals_append_only'));
    }
  });
});
