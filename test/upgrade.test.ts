import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { hashToken } from '../src/auth/tokens.js';
import { MIGRATIONS_FOLDER, type Database } from '../src/db/client.js';
import type { App } from '../src/http/types.js';
import { client, signIn, TEST_AUTH_SETTINGS, TestClock } from './support/testApp.js';
import { ephemeralKeyring } from '../src/keys/serviceKeys.js';
import { fieldCipher } from '../src/keys/fieldCipher.js';
import { sealPlaintextPersonalData } from '../src/personalData.js';

// The upgrade of a running office (security.md §1): a database of the service before sign-in
// existed (migrations up to 0009, users with tokens) migrates on start. Every user gets a username;
// a non-admin's token works as an API token for 30 days; an admin's only for GET /me and one
// PUT /me/password {"newPassword"}; a disabled user's token does not come back.

const TOKENS = { bootstrap: 'old-bootstrap-token-0123456789', admin: 'old-admin-token-abcdefghijklmnop', reviewer: 'old-reviewer-token-abcdefghijklm', institution: 'old-institution-token-abcdefghij', finance: 'old-finance-token-abcdefghijklmn' };
const IDS = {
  institution: '01900000-0000-7000-8000-000000000001',
  bootstrap: '01900000-0000-7000-8000-000000000010',
  admin: '01900000-0000-7000-8000-000000000011',
  reviewer: '01900000-0000-7000-8000-000000000012',
  institutionUser: '01900000-0000-7000-8000-000000000013',
  finance: '01900000-0000-7000-8000-000000000014',
};

/** The migrations folder as it was before this change: 0000 to 0009. */
function migrationsBeforeSignIn(): string {
  const folder = mkdtempSync(join(tmpdir(), 'rehab-old-migrations-'));
  mkdirSync(join(folder, 'meta'));
  for (const file of readdirSync(MIGRATIONS_FOLDER)) if (/^000\d_.*\.sql$/.test(file)) copyFileSync(join(MIGRATIONS_FOLDER, file), join(folder, file));
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number }[] };
  journal.entries = journal.entries.filter((entry) => entry.idx <= 9);
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal));
  return folder;
}

const OLD_OFFICE = sql.raw(`
  insert into institutions (id, code, name, region_code, services, bank_name, bank_account_name, bank_account_number)
    values ('${IDS.institution}', 'JG-1', '旧机构', '511702', '{training}', '农行', '旧机构', '6228480000000001');
  insert into users (id, name, role, region_code, institution_id, token_hash, bootstrap, disabled_at, created_at) values
    ('${IDS.bootstrap}', '系统管理员', 'admin', null, null, '${hashToken(TOKENS.bootstrap)}', true, now(), now() - interval '90 days'),
    ('${IDS.admin}', '张管理', 'admin', null, null, '${hashToken(TOKENS.admin)}', false, null, now() - interval '80 days'),
    ('${IDS.reviewer}', '王审核', 'reviewer', '511702', null, '${hashToken(TOKENS.reviewer)}', false, null, now() - interval '70 days'),
    ('${IDS.institutionUser}', '李会计', 'institution', null, '${IDS.institution}', '${hashToken(TOKENS.institution)}', false, null, now() - interval '60 days'),
    ('${IDS.finance}', '赵出纳', 'finance', '511702', null, '${hashToken(TOKENS.finance)}', false, now(), now() - interval '50 days');
`);

let app: App;
let clock: TestClock;
let close = async () => {};

beforeAll(async () => {
  const oldFolder = migrationsBeforeSignIn();
  let db: Database;
  if (process.env.TEST_DB === 'postgres') {
    const serverUrl = inject('postgresUrl');
    const name = `upgrade_${Date.now().toString(36)}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    const connection = postgres(serverUrl.replace(/\/[^/]*$/, `/${name}`), { max: 4, onnotice: () => {} });
    const old = drizzlePostgres({ client: connection });
    await migratePostgres(old, { migrationsFolder: oldFolder });
    await connection.unsafe(OLD_OFFICE.queryChunks.map((chunk) => (chunk as { value: string[] }).value.join('')).join(''));
    await migratePostgres(old, { migrationsFolder: MIGRATIONS_FOLDER });
    db = old as unknown as Database;
    close = async () => {
      await connection.end();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  } else {
    const pglite = await PGlite.create();
    const old = drizzlePglite({ client: pglite });
    await migratePglite(old, { migrationsFolder: oldFolder });
    await pglite.exec(OLD_OFFICE.queryChunks.map((chunk) => (chunk as { value: string[] }).value.join('')).join(''));
    await migratePglite(old, { migrationsFolder: MIGRATIONS_FOLDER });
    db = old as unknown as Database;
    close = async () => pglite.close();
  }
  rmSync(oldFolder, { recursive: true, force: true });
  // The upgrade ran on the database's clock: the service's clock starts there too.
  clock = new TestClock(new Date().toISOString());
  // As the service's start does: what the old version kept in clear is sealed before anyone is served.
  const keyring = ephemeralKeyring();
  expect(await sealPlaintextPersonalData(db, fieldCipher(keyring))).toEqual({ children: 0, accounts: 1, secondFactors: 0, protection: 0 });
  app = await buildApp({ db, keyring, clock: clock.now, auth: TEST_AUTH_SETTINGS });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await close();
});

describe('upgrading a running office', () => {
  it('every user gets a username (the role and a number; the bootstrap admin "bootstrap") and no password', async () => {
    const me = await client(app, TOKENS.reviewer).get('/api/v1/me');
    expect(me.body).toMatchObject({ id: IDS.reviewer, username: 'reviewer1', role: 'reviewer', credential: 'token' });
    expect((await client(app, TOKENS.institution).get('/api/v1/me')).body.username).toBe('institution1');
  });

  it('a non-admin’s old token works as an API token for 30 days from the upgrade, then expires', async () => {
    const reviewer = client(app, TOKENS.reviewer);
    expect((await reviewer.get('/api/v1/children')).status).toBe(200);
    const tokens = await reviewer.get('/api/v1/me/tokens');
    expect(tokens.body.items).toEqual([expect.objectContaining({ kind: 'legacy', revokedAt: null })]);
    const started = clock.now().getTime();
    clock.set(new Date(started + 29 * 86_400_000).toISOString());
    expect((await reviewer.get('/api/v1/me')).status).toBe(200);
    clock.set(new Date(started + 30 * 86_400_000 + 60_000).toISOString());
    const expired = await reviewer.get('/api/v1/me');
    expect([expired.status, expired.body.error.details[0].reason]).toEqual([401, 'TOKEN_EXPIRED']);
    clock.set(new Date(started).toISOString());
  });

  it('a disabled user’s old token does not come back when the user is enabled', async () => {
    expect((await client(app, TOKENS.finance).get('/api/v1/me')).status).toBe(401);
  });

  it('an admin’s old token works only for GET /me and PUT /me/password {"newPassword"}, once; then the admin signs in with the password', async () => {
    const old = client(app, TOKENS.admin);
    expect((await old.get('/api/v1/me')).body).toMatchObject({ username: 'admin1', role: 'admin', mustChangePassword: true });
    const refused = await old.get('/api/v1/users');
    expect([refused.status, refused.body.error.details[0].reason]).toEqual([403, 'PASSWORD_SETUP_TOKEN']);
    expect((await old.post('/api/v1/institutions', {})).status).toBe(403);
    const weak = await old.put('/api/v1/me/password', { newPassword: 'admin1-password' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'WEAK_PASSWORD']);
    const password = 'Kx9#first-own-password';
    expect((await old.put('/api/v1/me/password', { newPassword: password })).status).toBe(200);
    expect((await old.put('/api/v1/me/password', { newPassword: 'Kx9#second-try-password' })).status).toBe(401);
    expect((await old.get('/api/v1/me')).status).toBe(401);
    const session = await signIn(app, 'admin1', password);
    expect((await session.get('/api/v1/users')).status).toBe(200);
  });

  it('the bootstrap admin disabled before the upgrade stays closed', async () => {
    expect((await client(app, TOKENS.bootstrap).get('/api/v1/me')).status).toBe(401);
  });
});
