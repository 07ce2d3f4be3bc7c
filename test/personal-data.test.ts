import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { createBackupsService } from '../src/backups/backups.service.js';
import { createUsersService } from '../src/auth/users.service.js';
import { sealPlaintextChildren } from '../src/children/childSealing.js';
import { openDatabase } from '../src/db/client.js';
import { queryRows } from '../src/db/rows.js';
import { fieldCipher } from '../src/keys/fieldCipher.js';
import { resealPersonalData, sealPlaintextPersonalData } from '../src/personalData.js';
import { ephemeralKeyring, keyringOf, newServiceKey } from '../src/keys/serviceKeys.js';
import { ADMIN_TOKEN, client, idNumber, sessionClient, TEST_AUTH_SETTINGS, TestClock, type TestApp } from './support/testApp.js';
import { withTestWorld } from './support/lifecycle.js';
import { childBody, createUser, REGION, type World } from './support/world.js';

// Personal data at rest (security.md §5): a child's ID number, the guardian's phone and the
// certificate number (which holds the ID number), and the account numbers of institutions and
// batches, are stored sealed with AES-256-GCM; ID numbers are found by the keyed hash of the whole
// number or of its last 6 characters; a database from before is sealed at the first start.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const PHONE = '13912345678';

/** Every column of every child, as the database holds it, in one text. */
async function childrenAsStored(): Promise<string> {
  const rows = await queryRows<{ row: string }>(test.db, sql`select c::text as row from children c`);
  return rows.map((row) => row.row).join('\n');
}

describe('sealed at rest', () => {
  it('the ID number, phone and certificate number are nowhere in the children table in clear, and the API gives them back', async () => {
    const id = idNumber(REGION, '2016-04-04');
    const registered = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: id, birthDate: '2016-04-04' }), certificateNo: `${id}62`, guardian: { name: '王芳', relation: 'mother', phone: PHONE } });
    expect(registered.status).toBe(201);
    expect(registered.body).toMatchObject({ idNumber: id, certificateNo: `${id}62`, guardian: { phone: PHONE } });
    const stored = await childrenAsStored();
    for (const secret of [id, id.slice(6, 14), PHONE, `${id}62`]) expect(stored).not.toContain(secret);
    // The masked form may be kept in clear (security.md §5).
    expect(stored).toContain(`${id.slice(0, 6)}********${id.slice(-4)}`);
    expect((await world.reviewer.get(`/api/v1/children/${registered.body.id}`)).body).toMatchObject({ idNumber: id, certificateNo: `${id}62`, guardian: { phone: PHONE } });
    expect((await world.finance.get(`/api/v1/children/${registered.body.id}`)).body).toEqual(expect.objectContaining({ idNumberMasked: `${id.slice(0, 6)}********${id.slice(-4)}` }));
  });

  it('found by the whole number or its last 6; still unique: the same number again is 409 naming the child', async () => {
    const id = idNumber(REGION, '2017-05-05');
    const registered = await world.reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2017-05-05', name: '赵一' }));
    const found = async (query: string) => ((await world.reviewer.get(`/api/v1/children?${query}`)).body.items as { id: string }[]).map((child) => child.id);
    expect(await found(`idNumber=${id}`)).toEqual([registered.body.id]);
    expect(await found(`q=${id}`)).toEqual([registered.body.id]);
    expect(await found(`q=${id.slice(-6).toLowerCase()}`)).toContain(registered.body.id);
    expect(await found(`q=${id.slice(0, 10)}`)).toEqual([]);
    const again = await world.reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2017-05-05', name: '赵一' }));
    expect([again.status, again.body.error.code, again.body.error.details]).toEqual([409, 'ALREADY_EXISTS', [{ id: registered.body.id, name: '赵一' }]]);
  });
});

describe('bank account numbers of the rehabilitation side', () => {
  it('an institution’s account, and a change waiting for the second admin, are sealed; the API gives them back', async () => {
    const created = await world.admin.post('/api/v1/institutions', {
      code: 'SEAL-1',
      name: '密封康复中心',
      regionCode: REGION,
      services: ['training'],
      bankAccount: { bank: '中国农业银行', accountName: '密封康复中心', accountNumber: '6228480000123456789' },
    });
    expect(created.status).toBe(201);
    expect((await world.admin.put(`/api/v1/institutions/${created.body.id}`, { bankAccount: { bank: '中国银行', accountName: '密封康复中心', accountNumber: '6217000000987654321' } })).status).toBe(200);
    const stored = await queryRows<{ row: string }>(test.db, sql`select i::text || coalesce((select string_agg(c::text, '') from institution_account_changes c where c.institution_id = i.id), '') as row from institutions i`);
    for (const secret of ['6228480000123456789', '6217000000987654321']) expect(stored.map((row) => row.row).join('\n')).not.toContain(secret);
    expect((await world.admin.get(`/api/v1/institutions/${created.body.id}`)).body).toMatchObject({
      bankAccount: { accountNumber: '6228480000123456789' },
      pendingBankAccount: { accountNumber: '6217000000987654321' },
    });
    const confirmed = await world.admin2.post(`/api/v1/institutions/${created.body.id}/bank-account/confirm`);
    expect(confirmed.body).toMatchObject({ bankAccount: { accountNumber: '6217000000987654321' }, pendingBankAccount: null });
  });
});

describe('a database from before sealing', () => {
  it('is sealed at the first start, in one transaction: the plaintext columns emptied, the values readable as before; a second start seals nothing', async () => {
    const id = idNumber(REGION, '2015-03-03');
    const plainPhone = '13700001111';
    const legacy = '0190f000-0000-7000-8000-00000000c0de';
    await test.db.execute(sql`insert into children (id, id_number, name, region_code, category, certificate_no, birth_date, sex, guardian_name, guardian_relation, guardian_phone, registered_by_user_id, created_at)
      values (${legacy}, ${id}, '旧数据', ${REGION}, 'hearing', ${`${id}41`}, '2015-03-03', 'male', '旧家长', 'father', ${plainPhone}, ${world.users.reviewer.id}, now())`);
    expect(await sealPlaintextChildren(test.db, fieldCipher(test.keyring))).toBe(1);
    const stored = await childrenAsStored();
    for (const secret of [id, plainPhone]) expect(stored).not.toContain(secret);
    const [row] = await queryRows<{ plain: number }>(test.db, sql`select count(*)::int as plain from children where id_number is not null or guardian_phone is not null or certificate_no is not null`);
    expect(row!.plain).toBe(0);
    expect((await world.reviewer.get(`/api/v1/children/${legacy}`)).body).toMatchObject({ idNumber: id, certificateNo: `${id}41`, guardian: { phone: plainPhone } });
    expect(((await world.reviewer.get(`/api/v1/children?q=${id.slice(-6)}`)).body.items as { id: string }[]).map((child) => child.id)).toContain(legacy);
    expect(await sealPlaintextChildren(test.db, fieldCipher(test.keyring))).toBe(0);
  });

  it('an institution’s account number kept in clear is sealed at the first start and read as before', async () => {
    const legacy = '0190f000-0000-7000-8000-0000000ac0de';
    await test.db.execute(sql`insert into institutions (id, code, name, region_code, services, bank_name, bank_account_name, bank_account_number)
      values (${legacy}, 'OLD-1', '旧机构', ${REGION}, '{training}', '农行', '旧机构', '6228480000000000555')`);
    expect(await sealPlaintextPersonalData(test.db, fieldCipher(test.keyring))).toEqual({ children: 0, accounts: 1 });
    const [row] = await queryRows<{ row: string }>(test.db, sql`select i::text as row from institutions i where id = ${legacy}`);
    expect(row!.row).not.toContain('6228480000000000555');
    expect((await world.admin.get(`/api/v1/institutions/${legacy}`)).body.bankAccount.accountNumber).toBe('6228480000000000555');
  });
});

describe('npm run rotate-key', () => {
  it('seals every value and lookup again under the new key, in one transaction; the values and searches stay as they were', async () => {
    const id = idNumber(REGION, '2013-01-01');
    const registered = await world.reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2013-01-01', name: '钱多' }));
    const newKey = newServiceKey();
    const rotated = keyringOf([test.keyring.current, newKey]);
    const counted = await queryRows<{ children: number; institutions: number }>(test.db, sql`select (select count(*)::int from children) as children, (select count(*)::int from institutions) as institutions`);
    const resealed = await resealPersonalData(test.db, fieldCipher(rotated));
    expect(resealed.children).toBe(counted[0]!.children);
    expect(resealed.accounts).toBeGreaterThanOrEqual(counted[0]!.institutions);
    const keyIds = await queryRows<{ key: string }>(test.db, sql`select distinct split_part(id_number_sealed, '.', 2) as key from children union select distinct split_part(bank_account_number_sealed, '.', 2) from institutions`);
    expect(keyIds.map((row) => row.key)).toEqual([newKey.id]);
    // A service with the rotated ring reads and finds as before.
    const app = await buildApp({ db: test.db, keyring: rotated, clock: test.clock.now, auth: TEST_AUTH_SETTINGS });
    await app.ready();
    try {
      const reviewer = sessionClient(app, world.reviewer.session!);
      expect((await reviewer.get(`/api/v1/children/${registered.body.id}`)).body.idNumber).toBe(id);
      expect(((await reviewer.get(`/api/v1/children?q=${id.slice(-6)}`)).body.items as { id: string }[]).map((child) => child.id)).toEqual([registered.body.id]);
      expect((await reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2013-01-01', name: '钱多' }))).status).toBe(409);
    } finally {
      await app.close();
    }
    // Back under the file's key (current again), for the tests after this one.
    await resealPersonalData(test.db, fieldCipher(keyringOf([newKey, test.keyring.current])));
    expect((await world.reviewer.get(`/api/v1/children/${registered.body.id}`)).body.idNumber).toBe(id);
  });
});

describe.runIf(process.env.TEST_DB !== 'postgres')('the embedded database’s data folder', () => {
  const work = mkdtempSync(join(tmpdir(), 'rehab-sealed-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const files = (folder: string): string[] => readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(folder, entry.name)) : [join(folder, entry.name)]));
  const holding = (folder: string, secrets: string[], except: (path: string) => boolean = () => false) =>
    files(folder).flatMap((path) => {
      if (except(path)) return [];
      const bytes = readFileSync(path);
      return secrets.filter((secret) => bytes.includes(Buffer.from(secret, 'utf8'))).map((secret) => `${secret} in ${path}`);
    });

  it('holds no written ID number, phone, certificate or account number as bytes, the WAL included, after writes and a checkpoint', async () => {
    const dataDir = join(work, 'data');
    const database = await openDatabase({ dataDir });
    const keyring = ephemeralKeyring();
    await createUsersService({ db: database.db }).bootstrapAdmin(ADMIN_TOKEN, new Date());
    const app = await buildApp({ db: database.db, keyring, clock: new TestClock().now, auth: TEST_AUTH_SETTINGS, backups: createBackupsService({ db: database.db, snapshot: null, dir: join(work, 'backups'), keep: 1 }) });
    await app.ready();
    const secrets: string[] = [];
    try {
      const bootstrap = client(app, ADMIN_TOKEN);
      const reviewer = (await createUser(bootstrap, { name: '审核', role: 'reviewer', regionCode: REGION })).client;
      const account = '6228480000246813579';
      expect((await bootstrap.post('/api/v1/institutions', { code: 'BYTES-1', name: '机构', regionCode: REGION, services: ['training'], bankAccount: { bank: '农行', accountName: '机构', accountNumber: account } })).status).toBe(201);
      secrets.push(account);
      for (let index = 0; index < 5; index++) {
        const id = idNumber(REGION, `2018-0${index + 1}-0${index + 1}`);
        const phone = `1581234${String(5000 + index)}`;
        const registered = await reviewer.post('/api/v1/children', { ...childBody({ idNumber: id, birthDate: `2018-0${index + 1}-0${index + 1}` }), certificateNo: `${id}42`, guardian: { name: '家长', relation: 'mother', phone } });
        expect(registered.status).toBe(201);
        expect((await reviewer.get(`/api/v1/children?q=${id.slice(-6)}`)).status).toBe(200);
        secrets.push(id, phone);
      }
      await database.db.execute(sql`checkpoint`);
    } finally {
      await app.close();
      await database.close();
    }
    expect(holding(dataDir, secrets)).toEqual([]);
  });

  it('after sealing a database from before, its table files no longer hold the old values (the WAL keeps them until recycled: README)', async () => {
    const dataDir = join(work, 'legacy');
    const database = await openDatabase({ dataDir });
    const id = idNumber(REGION, '2014-02-02');
    const phone = '13600002222';
    try {
      await createUsersService({ db: database.db }).bootstrapAdmin(ADMIN_TOKEN, new Date());
      const [admin] = await queryRows<{ id: string }>(database.db, sql`select id from users limit 1`);
      await database.db.execute(sql`insert into children (id, id_number, name, region_code, category, birth_date, sex, guardian_name, guardian_relation, guardian_phone, registered_by_user_id, created_at)
        values ('0190f000-0000-7000-8000-00000000beef', ${id}, '旧数据', ${REGION}, 'hearing', '2014-02-02', 'male', '旧家长', 'father', ${phone}, ${admin!.id}, now())`);
      await database.db.execute(sql`checkpoint`);
      expect(holding(dataDir, [id], (path) => path.includes('pg_wal')).length).toBeGreaterThan(0);
      expect(await sealPlaintextChildren(database.db, fieldCipher(ephemeralKeyring()))).toBe(1);
    } finally {
      await database.close();
    }
    expect(holding(dataDir, [id, phone], (path) => path.includes('pg_wal'))).toEqual([]);
  });
});
