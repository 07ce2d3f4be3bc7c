import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildApp } from '../src/app.js';
import { createBackupsService } from '../src/backups/backups.service.js';
import { createUsersService } from '../src/auth/users.service.js';
import { totpCode } from '../src/auth/totp.js';
import { openDatabase } from '../src/db/client.js';
import { queryRows } from '../src/db/rows.js';
import { fieldCipher } from '../src/keys/fieldCipher.js';
import { resealPersonalData, sealedColumns, sealedKeyIdsQuery, sealPlaintextPersonalData } from '../src/personalData.js';
import { ephemeralKeyring, keyringOf, newServiceKey } from '../src/keys/serviceKeys.js';
import { ADMIN_TOKEN, client, idNumber, sessionClient, TEST_AUTH_SETTINGS, TestClock, type TestApp } from './support/testApp.js';
import { withTestWorld } from './support/lifecycle.js';
import { childBody, createUser, REGION, type World } from './support/world.js';
import { activeBeneficiary, buildRoll, createCounty, enrolBody, transferOf } from './support/allowance.js';
import { caseWithEverySealedValue } from './support/protection.js';
import { chinaDate } from '../src/domain/chinaTime.js';
import { PROTECTION_FIELDS } from '../src/protection/caseSecrets.js';

// Personal data at rest (security.md §5): a child's ID number, the guardian's phone and the
// certificate number (which holds the ID number), and the account numbers of institutions and
// batches, are stored sealed with AES-256-GCM; ID numbers are found by the keyed hash of the whole
// number or of its last 6 characters; a database from before is sealed at the first start. The
// protection programme's applicants' phones, parents' facts, hivAffected, account numbers and the
// notes of visits and reports are sealed as well.

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

/** Every column of every row of the protection programme's cases, visits and reports, as the database holds them, in one text. */
async function protectionAsStored(): Promise<string> {
  const rows = await queryRows<{ row: string }>(
    test.db,
    sql`select c::text as row from protection_cases c union all select v::text from protection_visits v union all select r::text from protection_reports r`,
  );
  return rows.map((row) => row.row).join('\n');
}

let sealedCase: Awaited<ReturnType<typeof caseWithEverySealedValue>>;

describe('the protection programme', () => {
  it('keeps the applicant’s phone, the parents’ facts, hivAffected, the account numbers and the notes of visits and reports sealed; civil affairs reads them as given', async () => {
    const township = (await createUser(world.admin, { name: '东城干事', role: 'township', townshipCode: `${REGION}001` })).client;
    sealedCase = await caseWithEverySealedValue({ township, civilAffairs: world.civilAffairs }, { regionCode: REGION, village: `${REGION}001003` }, chinaDate(test.clock.now()));
    const stored = await protectionAsStored();
    for (const secret of sealedCase.secrets) expect(stored).not.toContain(secret);
    const [row] = await queryRows<Record<string, string | null>>(
      test.db,
      sql`select applicant_phone_sealed, parents_sealed, hiv_affected_sealed, bank_account_number_sealed, pending_bank_account_number_sealed from protection_cases where id = ${sealedCase.caseId}`,
    );
    for (const value of Object.values(row!)) expect(value).toMatch(/^f1\./);
    // hivAffected is sealed as 'true' or 'false' under its own field: no other field's key opens it.
    const cipher = fieldCipher(test.keyring);
    expect(cipher.decryptField(PROTECTION_FIELDS.hivAffected, row!.hiv_affected_sealed!)).toBe('true');
    expect(() => cipher.decryptField(PROTECTION_FIELDS.applicantPhone, row!.hiv_affected_sealed!)).toThrow();
    const kase = (await world.civilAffairs.get(`/api/v1/protection/cases/${sealedCase.caseId}`)).body;
    const [phone, judgment, diagnosis, account, pendingAccount, visitNote, actionTaken] = sealedCase.secrets;
    expect(kase).toMatchObject({ applicant: { phone }, hivAffected: true, bankAccount: { accountNumber: account }, pendingBankAccount: { accountNumber: pendingAccount } });
    expect(kase.parents.father[0].documents).toEqual([judgment]);
    expect(kase.parents.mother[0].documents).toEqual([diagnosis]);
    const visits = (await world.civilAffairs.get(`/api/v1/protection/visits?caseId=${sealedCase.caseId}`)).body.items;
    expect(visits.map((visit: { note: string }) => visit.note)).toEqual([visitNote]);
    expect((await world.civilAffairs.get(`/api/v1/protection/reports/${sealedCase.reportId}`)).body).toMatchObject({ note: visitNote, actionTaken });
  });

  it('has nothing to seal at the first start: its tables hold no plaintext column, and their rows are left as they are', async () => {
    const before = await protectionAsStored();
    expect((await sealPlaintextPersonalData(test.db, fieldCipher(test.keyring))).protection).toBe(0);
    expect(await protectionAsStored()).toBe(before);
  });
});

describe('a database from before sealing', () => {
  it('is sealed at the first start, in one transaction: the plaintext columns emptied, the values readable as before; a second start seals nothing', async () => {
    const id = idNumber(REGION, '2015-03-03');
    const plainPhone = '13700001111';
    const legacy = '0190f000-0000-7000-8000-00000000c0de';
    await test.db.execute(sql`insert into children (id, id_number, name, region_code, category, certificate_no, birth_date, sex, guardian_name, guardian_relation, guardian_phone, registered_by_user_id, created_at)
      values (${legacy}, ${id}, '旧数据', ${REGION}, 'hearing', ${`${id}41`}, '2015-03-03', 'male', '旧家长', 'father', ${plainPhone}, ${world.users.reviewer.id}, now())`);
    expect(await sealPlaintextPersonalData(test.db, fieldCipher(test.keyring))).toEqual({ children: 1, accounts: 0, secondFactors: 0, protection: 0 });
    const stored = await childrenAsStored();
    for (const secret of [id, plainPhone]) expect(stored).not.toContain(secret);
    const [row] = await queryRows<{ plain: number }>(test.db, sql`select count(*)::int as plain from children where id_number is not null or guardian_phone is not null or certificate_no is not null`);
    expect(row!.plain).toBe(0);
    expect((await world.reviewer.get(`/api/v1/children/${legacy}`)).body).toMatchObject({ idNumber: id, certificateNo: `${id}41`, guardian: { phone: plainPhone } });
    expect(((await world.reviewer.get(`/api/v1/children?q=${id.slice(-6)}`)).body.items as { id: string }[]).map((child) => child.id)).toContain(legacy);
    expect(await sealPlaintextPersonalData(test.db, fieldCipher(test.keyring))).toEqual({ children: 0, accounts: 0, secondFactors: 0, protection: 0 });
  });

  it('an institution’s account number kept in clear is sealed at the first start and read as before', async () => {
    const legacy = '0190f000-0000-7000-8000-0000000ac0de';
    await test.db.execute(sql`insert into institutions (id, code, name, region_code, services, bank_name, bank_account_name, bank_account_number)
      values (${legacy}, 'OLD-1', '旧机构', ${REGION}, '{training}', '农行', '旧机构', '6228480000000000555')`);
    expect(await sealPlaintextPersonalData(test.db, fieldCipher(test.keyring))).toEqual({ children: 0, accounts: 1, secondFactors: 0, protection: 0 });
    const [row] = await queryRows<{ row: string }>(test.db, sql`select i::text as row from institutions i where id = ${legacy}`);
    expect(row!.row).not.toContain('6228480000000000555');
    expect((await world.admin.get(`/api/v1/institutions/${legacy}`)).body.bankAccount.accountNumber).toBe('6228480000000000555');
  });

  it('the allowance’s accounts (record, pending change, transfer) and second-factor secrets kept in clear are sealed at the first start, all or none', async () => {
    // In December 2025, three months after the enrolment (the allowance tests' month), so that the roll pays the family.
    const clockBefore = test.clock.now();
    test.clock.set('2025-12-15T10:00:00+08:00');
    onTestFinished(() => test.clock.set(clockBefore.toISOString()));
    const county = await createCounty(test);
    const beneficiary = await activeBeneficiary(county);
    const roll = await buildRoll(county, '2025-12');
    expect(transferOf(roll, beneficiary.id)).toBeDefined();
    const pendingAccount = '6214670000777000111';
    expect((await county.reviewer.put(`/api/v1/allowance/beneficiaries/${beneficiary.id}/bank-account`, { bank: '农行', accountName: '张大山', accountNumber: pendingAccount })).status).toBe(200);
    const user = await createUser(world.admin, { name: '二次验证', role: 'reviewer', regionCode: REGION }, world.admin2);
    const started = await user.client.post('/api/v1/me/totp', {});
    expect(started.status).toBe(200);
    // As an older version kept them: in clear, nothing sealed.
    const recordAccount = beneficiary.bankAccount.accountNumber;
    await test.db.execute(sql`update beneficiaries set account_number = ${recordAccount}, account_number_sealed = null where id = ${beneficiary.id}`);
    await test.db.execute(sql`update beneficiary_account_changes set account_number = ${pendingAccount}, account_number_sealed = null where beneficiary_id = ${beneficiary.id} and status = 'pending'`);
    await test.db.execute(sql`update allowance_transfers set account_number = ${recordAccount}, account_number_sealed = null where roll_id = ${roll.id}`);
    await test.db.execute(sql`update users set totp_pending_secret = ${started.body.secret}, totp_pending_secret_sealed = null where id = ${user.id}`);
    const inClear = async () =>
      (await queryRows<{ rows: number }>(test.db, sql`select (select count(*) from beneficiaries where account_number is not null) + (select count(*) from beneficiary_account_changes where account_number is not null)
        + (select count(*) from allowance_transfers where account_number is not null) + (select count(*) from users where totp_pending_secret is not null) + (select count(*) from children where id_number is not null) as rows`))[0]!.rows;
    const legacyChild = '0190f000-0000-7000-8000-00000000d00d';
    const legacyId = idNumber(REGION, '2016-06-06');
    await test.db.execute(sql`insert into children (id, id_number, name, region_code, category, birth_date, sex, guardian_name, guardian_relation, guardian_phone, registered_by_user_id, created_at)
      values (${legacyChild}, ${legacyId}, '旧数据二', ${REGION}, 'hearing', '2016-06-06', 'male', '旧家长', 'father', '13700002222', ${world.users.reviewer.id}, now())`);
    expect(Number(await inClear())).toBe(5);

    // A failure sealing the last table (the users') leaves every table as it was: one transaction.
    const cipher = fieldCipher(test.keyring);
    const failing = { ...cipher, encryptField: (field: string, value: string) => (field === 'user.totp_secret' ? boom() : cipher.encryptField(field, value)) };
    await expect(sealPlaintextPersonalData(test.db, failing)).rejects.toThrow('sealing failed');
    expect(Number(await inClear())).toBe(5);

    expect(await sealPlaintextPersonalData(test.db, cipher, 1)).toEqual({ children: 1, accounts: 3, secondFactors: 1, protection: 0 });
    expect(Number(await inClear())).toBe(0);
    const stored = await queryRows<{ row: string }>(
      test.db,
      sql`select b::text || (select string_agg(c::text, '') from beneficiary_account_changes c where c.beneficiary_id = b.id) || (select string_agg(t::text, '') from allowance_transfers t where t.beneficiary_id = b.id) as row
        from beneficiaries b where b.id = ${beneficiary.id} union all select u::text from users u where u.id = ${user.id}`,
    );
    for (const secret of [recordAccount, pendingAccount, started.body.secret]) expect(stored.map((row) => row.row).join('\n')).not.toContain(secret);
    const detail = (await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${beneficiary.id}`)).body;
    expect(detail).toMatchObject({ bankAccount: { accountNumber: recordAccount }, pendingBankAccount: { accountNumber: pendingAccount } });
    expect(transferOf((await county.civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}`)).body, beneficiary.id)).toMatchObject({ accountNumber: recordAccount });
    // The second factor set up before opens with the code of the secret it was given.
    expect((await user.client.post('/api/v1/me/totp/confirm', { otp: totpCode(started.body.secret, test.clock.now().getTime()) })).status).toBe(200);
  });
});

function boom(): never {
  throw new Error('sealing failed');
}

describe('npm run rotate-key', () => {
  it('seals every value and lookup again under the new key, in one transaction; the values and searches stay as they were', async () => {
    const id = idNumber(REGION, '2013-01-01');
    const registered = await world.reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2013-01-01', name: '钱多' }));
    const newKey = newServiceKey();
    const rotated = keyringOf([test.keyring.current, newKey]);
    const counted = await queryRows<{ children: number; institutions: number }>(test.db, sql`select (select count(*)::int from children) as children, (select count(*)::int from institutions) as institutions`);
    // Two rows a page, so that every table (the transfers' two-column key too) is read over several pages.
    const resealed = await resealPersonalData(test.db, fieldCipher(rotated), 2);
    expect(resealed.children).toBe(counted[0]!.children);
    expect(resealed.accounts).toBeGreaterThanOrEqual(counted[0]!.institutions);
    // Every sealed column of every table (the allowance's accounts and second factors of the tests before included) names the new key only.
    const columns = sealedColumns();
    expect(columns.map(({ table, column }) => `${table}.${column}`)).toEqual(
      expect.arrayContaining([
        'beneficiaries.account_number_sealed',
        'allowance_transfers.account_number_sealed',
        'beneficiary_account_changes.account_number_sealed',
        'users.totp_pending_secret_sealed',
        'protection_cases.applicant_phone_sealed',
        'protection_cases.parents_sealed',
        'protection_cases.hiv_affected_sealed',
        'protection_cases.bank_account_number_sealed',
        'protection_cases.pending_bank_account_number_sealed',
        'protection_visits.note_sealed',
        'protection_reports.note_sealed',
        'protection_reports.action_taken_sealed',
      ]),
    );
    const keyIds = await queryRows<{ key_id: string }>(test.db, sql.raw(sealedKeyIdsQuery(new Set(columns.map(({ table, column }) => `${table}.${column}`)))!));
    expect(keyIds.map((row) => row.key_id)).toEqual([newKey.id]);
    expect(resealed.accounts).toBeGreaterThan(counted[0]!.institutions);
    expect(resealed.secondFactors).toBeGreaterThan(0);
    // The protection programme's case, visit and report of the test before.
    expect(resealed.protection).toBe(3);
    // A service with the rotated ring reads and finds as before.
    const app = await buildApp({ db: test.db, keyring: rotated, clock: test.clock.now, auth: TEST_AUTH_SETTINGS });
    await app.ready();
    try {
      const reviewer = sessionClient(app, world.reviewer.session!);
      expect((await reviewer.get(`/api/v1/children/${registered.body.id}`)).body.idNumber).toBe(id);
      expect(((await reviewer.get(`/api/v1/children?q=${id.slice(-6)}`)).body.items as { id: string }[]).map((child) => child.id)).toEqual([registered.body.id]);
      expect((await reviewer.post('/api/v1/children', childBody({ idNumber: id, birthDate: '2013-01-01', name: '钱多' }))).status).toBe(409);
      const civilAffairs = sessionClient(app, world.civilAffairs.session!);
      expect((await civilAffairs.get(`/api/v1/protection/cases/${sealedCase.caseId}`)).body).toMatchObject({ applicant: { phone: sealedCase.secrets[0] }, hivAffected: true });
      expect((await civilAffairs.get(`/api/v1/protection/reports/${sealedCase.reportId}`)).body).toMatchObject({ note: sealedCase.secrets[5], actionTaken: sealedCase.secrets[6] });
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

  it('holds no written ID number, phone, certificate, account number, second-factor secret or protection case’s sealed value as bytes: not its files, the WAL included, after a checkpoint, nor a backup', async () => {
    const dataDir = join(work, 'data');
    const database = await openDatabase({ dataDir });
    const keyring = ephemeralKeyring();
    // December 2025, three months after the enrolments: the roll pays the families.
    const clock = new TestClock('2025-12-15T10:00:00+08:00');
    await createUsersService({ db: database.db, keyring }).bootstrapAdmin(ADMIN_TOKEN, clock.now());
    const backups = createBackupsService({ db: database.db, snapshot: database.snapshot, dir: join(work, 'backups'), keep: 1 });
    const app = await buildApp({ db: database.db, keyring, clock: clock.now, auth: TEST_AUTH_SETTINGS, backups });
    await app.ready();
    const secrets: string[] = [];
    let backupFile: string;
    try {
      const bootstrap = client(app, ADMIN_TOKEN);
      const as = async (role: string, name: string) => (await createUser(bootstrap, { name, role, regionCode: REGION })).client;
      const reviewer = await as('reviewer', '审核');
      const civilAffairs = await as('civil_affairs', '民政');
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
        // Enrolled in the care allowance, approved and in this month's roll; the last asks for a new account, left pending.
        const familyAccount = `621467000013579${String(1000 + index)}`;
        const enrolled = await reviewer.post('/api/v1/allowance/beneficiaries', enrolBody(registered.body.id, { bankAccount: { bank: '农信', accountName: '家长', accountNumber: familyAccount } }));
        expect(enrolled.status).toBe(201);
        expect((await civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {})).status).toBe(200);
        secrets.push(familyAccount);
        if (index === 4) {
          const pendingAccount = '6214670000864200001';
          expect((await reviewer.put(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/bank-account`, { bank: '农行', accountName: '家长', accountNumber: pendingAccount })).status).toBe(200);
          secrets.push(pendingAccount);
        }
      }
      const roll = await civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-12' });
      expect([roll.status, roll.body.transfers.length]).toEqual([201, 5]);
      const totp = await reviewer.post('/api/v1/me/totp', {});
      expect(totp.status).toBe(200);
      secrets.push(totp.body.secret);
      // A case of the protection programme with every value it keeps sealed.
      const township = (await createUser(bootstrap, { name: '东城干事', role: 'township', townshipCode: `${REGION}001` })).client;
      secrets.push(...(await caseWithEverySealedValue({ township, civilAffairs }, { regionCode: REGION, village: `${REGION}001003` }, '2025-12-15')).secrets);
      backupFile = (await backups.takeNow(null, clock.now())).file;
      await database.db.execute(sql`checkpoint`);
    } finally {
      await app.close();
      await database.close();
    }
    expect(holding(dataDir, secrets)).toEqual([]);
    // The backup is the data folder as a gzipped tarball: searched as the bytes it unpacks to.
    const unpacked = gunzipSync(readFileSync(backupFile));
    expect(secrets.filter((secret) => unpacked.includes(Buffer.from(secret, 'utf8')))).toEqual([]);
    // The search finds what is there: the masked ID numbers are kept in clear.
    expect(unpacked.includes(Buffer.from(`${secrets[1]!.slice(0, 6)}********${secrets[1]!.slice(-4)}`, 'utf8'))).toBe(true);
  });

  it('after sealing a database from before, its table files no longer hold the old values (the WAL keeps them until recycled: README)', async () => {
    const dataDir = join(work, 'legacy');
    const database = await openDatabase({ dataDir });
    const id = idNumber(REGION, '2014-02-02');
    const phone = '13600002222';
    try {
      await createUsersService({ db: database.db, keyring: ephemeralKeyring() }).bootstrapAdmin(ADMIN_TOKEN, new Date());
      const [admin] = await queryRows<{ id: string }>(database.db, sql`select id from users limit 1`);
      await database.db.execute(sql`insert into children (id, id_number, name, region_code, category, birth_date, sex, guardian_name, guardian_relation, guardian_phone, registered_by_user_id, created_at)
        values ('0190f000-0000-7000-8000-00000000beef', ${id}, '旧数据', ${REGION}, 'hearing', '2014-02-02', 'male', '旧家长', 'father', ${phone}, ${admin!.id}, now())`);
      await database.db.execute(sql`checkpoint`);
      expect(holding(dataDir, [id], (path) => path.includes('pg_wal')).length).toBeGreaterThan(0);
      expect((await sealPlaintextPersonalData(database.db, fieldCipher(ephemeralKeyring()))).children).toBe(1);
    } finally {
      await database.close();
    }
    expect(holding(dataDir, [id, phone], (path) => path.includes('pg_wal'))).toEqual([]);
  });
});
