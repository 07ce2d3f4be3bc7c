import * as argon2 from '@node-rs/argon2';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { withTestApp } from './support/lifecycle.js';
import { ADMIN_TOKEN, client, createTestApp, strongPassword, type TestApp } from './support/testApp.js';
import { createUser, type CreatedUser } from './support/world.js';

// Activation and sign-in (security.md §1): one answer for a wrong name or password and the cost of
// a hash for an unknown name; the lockout of a name from one address; the limit on failed
// attempts of one address; the audit of failures. The clock moves by the test clock.

vi.mock('@node-rs/argon2', async (original) => {
  const actual = await original<typeof import('@node-rs/argon2')>();
  return { ...actual, verify: vi.fn(actual.verify) };
});

let test: TestApp;
const admin = () => client(test.app, ADMIN_TOKEN);
withTestApp((made) => (test = made));

async function attempt(path: 'sign-in' | 'activate', body: Record<string, unknown>, remoteAddress: string) {
  const response = await test.app.inject({ method: 'POST', url: `/api/v1/auth/${path}`, payload: body, remoteAddress });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}
const signInFrom = (remoteAddress: string, username: string, password: string) => attempt('sign-in', { username, password }, remoteAddress);
const advance = (ms: number) => test.clock.set(new Date(test.clock.now().getTime() + ms).toISOString());
const rows = async <T>(query: ReturnType<typeof sql>) => {
  const result = (await test.db.execute(query)) as unknown as { rows?: T[] } & T[];
  return result.rows ?? result;
};

describe('activation', () => {
  it('wrong, expired or spent codes answer 401 before the password is looked at; a weak password is 400 WEAK_PASSWORD naming each rule, and the code stays good', async () => {
    const created = await admin().post('/api/v1/users', { name: '赵激活', role: 'reviewer', regionCode: '511702', username: 'zhao.jh' });
    const { activationCode } = created.body;
    for (const code of ['WRONGCODE234', activationCode.slice(0, 11), '']) {
      const wrong = await attempt('activate', { username: 'zhao.jh', activationCode: code, password: 'weak' }, '10.1.0.1');
      expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    }
    const weak = await attempt('activate', { username: 'ZHAO.JH', activationCode: activationCode.toLowerCase(), password: 'zhao.jh' }, '10.1.0.1');
    expect([weak.status, weak.body.error.code]).toEqual([400, 'WEAK_PASSWORD']);
    expect(weak.body.error.details.map((detail: { rule: string }) => detail.rule)).toEqual(['MIN_LENGTH', 'CHARACTER_CLASSES', 'CONTAINS_USERNAME']);
    const common = await attempt('activate', { username: 'zhao.jh', activationCode, password: 'Charlie123' }, '10.1.0.1');
    expect(common.body.error.details.map((detail: { rule: string }) => detail.rule)).toEqual(['COMMON_PASSWORD']);
    // Typed with dashes and in lower case, the code still works.
    const grouped = `${activationCode.slice(0, 4)}-${activationCode.slice(4, 8)}-${activationCode.slice(8)}`.toLowerCase();
    const password = strongPassword();
    const done = await attempt('activate', { username: 'zhao.jh', activationCode: grouped, password }, '10.1.0.1');
    expect([done.status, done.body.user]).toEqual([200, expect.objectContaining({ id: created.body.id, username: 'zhao.jh', role: 'reviewer' })]);
    const stored = await rows<{ password_hash: string }>(sql`select password_hash from users where id = ${created.body.id}`);
    expect(stored[0]!.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored[0]!.password_hash).not.toContain(password);
  });

  it('an activation code expires after 72 hours', async () => {
    const created = await admin().post('/api/v1/users', { name: '过期', role: 'reviewer', regionCode: '511702' });
    advance(72 * 3600_000);
    const late = await attempt('activate', { username: created.body.username, activationCode: created.body.activationCode, password: strongPassword() }, '10.1.0.2');
    expect([late.status, late.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    advance(-72 * 3600_000);
    expect((await attempt('activate', { username: created.body.username, activationCode: created.body.activationCode, password: strongPassword() }, '10.1.0.2')).status).toBe(200);
  });
});

describe('sign-in', () => {
  let user: CreatedUser;
  beforeAll(async () => {
    user = await createUser(admin(), { name: '孙登录', role: 'finance', regionCode: '511702', username: 'sun.dl' });
  });

  it('a wrong name and a wrong password get the same answer; an unknown name costs one hash as a known one does', async () => {
    const verify = vi.mocked(argon2.verify);
    verify.mockClear();
    const unknown = await signInFrom('10.2.0.1', 'nobody.here', user.password);
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockClear();
    const wrong = await signInFrom('10.2.0.1', 'sun.dl', `${user.password}x`);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } });
    expect(unknown.body).toEqual(wrong.body);
    // A name that could never be a username costs the same hash.
    verify.mockClear();
    expect((await signInFrom('10.2.0.1', 'Kx9#my password typed as a name', 'x')).body).toEqual(wrong.body);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('answers the session: cookie HttpOnly, SameSite=Strict, Path=/ (Secure only over TLS); the name compares without case', async () => {
    const response = await test.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: ' SUN.DL ', password: user.password } });
    expect(response.statusCode).toBe(200);
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/^rehab_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure');
    expect(response.json()).toMatchObject({
      user: { username: 'sun.dl', role: 'finance' },
      session: { expiresAt: expect.any(String), idleTimeoutSeconds: expect.any(Number) },
      csrfToken: expect.any(String),
      mustChangePassword: false,
      mustSetUpSecondFactor: false,
      passwordExpiresOn: null,
      resetNotice: null,
    });
  });

  it('five failures of one name from one address lock that pair for 15 minutes, the right password included; from another desk it signs in', async () => {
    for (let failure = 1; failure <= 5; failure++) {
      const response = await signInFrom('10.3.0.1', 'sun.dl', 'wrong-password');
      expect([response.status, response.body.error.code], `failure ${failure}`).toEqual([401, 'UNAUTHENTICATED']);
    }
    const locked = await signInFrom('10.3.0.1', 'sun.dl', user.password);
    expect([locked.status, locked.body.error.code]).toEqual([401, 'ACCOUNT_LOCKED']);
    const lockedUntil = locked.body.error.details[0].lockedUntil as string;
    expect(Date.parse(lockedUntil) - test.clock.now().getTime()).toBe(15 * 60_000);
    expect((await signInFrom('10.3.0.2', 'sun.dl', user.password)).status).toBe(200);
    advance(15 * 60_000 - 1000);
    expect((await signInFrom('10.3.0.1', 'sun.dl', user.password)).body.error.code).toBe('ACCOUNT_LOCKED');
    advance(1000);
    expect((await signInFrom('10.3.0.1', 'sun.dl', user.password)).status).toBe(200);
    const audit = await admin().get(`/api/v1/audit?entityId=${user.id}&action=auth.locked`);
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].data).toMatchObject({ username: 'sun.dl', clientAddress: '10.3.0.1', lockedUntil });
  });

  it('failures count within 15 minutes: four, then one 16 minutes later, do not lock; a success forgets them', async () => {
    for (let failure = 0; failure < 4; failure++) await signInFrom('10.3.1.1', 'sun.dl', 'wrong-password');
    advance(16 * 60_000);
    expect((await signInFrom('10.3.1.1', 'sun.dl', 'wrong-password')).body.error.code).toBe('UNAUTHENTICATED');
    expect((await signInFrom('10.3.1.1', 'sun.dl', user.password)).status).toBe(200);
    for (let failure = 0; failure < 4; failure++) await signInFrom('10.3.1.1', 'sun.dl', 'wrong-password');
    expect((await signInFrom('10.3.1.1', 'sun.dl', user.password)).status).toBe(200);
  });

  it('an unknown name locks the same way (the answer never tells whether it exists)', async () => {
    for (let failure = 0; failure < 5; failure++) await signInFrom('10.3.2.1', 'no.such.user', 'whatever');
    const locked = await signInFrom('10.3.2.1', 'no.such.user', 'whatever');
    expect([locked.status, locked.body.error.code]).toEqual([401, 'ACCOUNT_LOCKED']);
  });

  it('an admin’s enable or reset unlocks the name early', async () => {
    for (let failure = 0; failure < 5; failure++) await signInFrom('10.3.3.1', 'sun.dl', 'wrong-password');
    expect((await signInFrom('10.3.3.1', 'sun.dl', user.password)).body.error.code).toBe('ACCOUNT_LOCKED');
    await admin().post(`/api/v1/users/${user.id}/disable`, {});
    await admin().post(`/api/v1/users/${user.id}/enable`, {});
    expect((await signInFrom('10.3.3.1', 'sun.dl', user.password)).status).toBe(200);

    const other = await createUser(admin(), { name: '周重置', role: 'finance', regionCode: '511702' });
    for (let failure = 0; failure < 5; failure++) await signInFrom('10.3.3.2', other.username, 'wrong-password');
    const reset = await admin().post(`/api/v1/users/${other.id}/reset`, {});
    const password = strongPassword();
    await attempt('activate', { username: other.username, activationCode: reset.body.activationCode, password }, '10.3.3.2');
    expect((await signInFrom('10.3.3.2', other.username, password)).status).toBe(200);
  });

  it('a failed sign-in is audited with the name as typed when it names an account, else its keyed HMAC, and the client address', async () => {
    await signInFrom('10.4.0.1', 'Sun.DL', 'wrong-password');
    await signInFrom('10.4.0.1', 'Kx9#secret-typed-as-name', 'wrong-password');
    const known = await admin().get(`/api/v1/audit?entityId=${user.id}&action=auth.sign_in_failed`);
    expect(known.body.items.at(-1)).toMatchObject({ entityType: 'user', actorId: null, data: { username: 'Sun.DL', clientAddress: '10.4.0.1', reason: 'wrong_password' } });
    const unknown = await admin().get('/api/v1/audit?entityId=00000000-0000-0000-0000-000000000000&action=auth.sign_in_failed&limit=500');
    const last = unknown.body.items.at(-1);
    expect(last).toMatchObject({ entityType: 'user', data: { usernameHmac: expect.stringMatching(/^[0-9a-f]{64}$/), clientAddress: '10.4.0.1' } });
    expect(last.data).not.toHaveProperty('username');
    expect(JSON.stringify(unknown.body)).not.toContain('secret-typed-as-name');
    const stored = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where data::text like '%secret-typed-as-name%'`);
    expect(stored[0]!.n).toBe(0);
    const signedIn = await admin().get(`/api/v1/audit?entityId=${user.id}&action=auth.signed_in`);
    expect(signedIn.body.items[0]).toMatchObject({ actorId: user.id, data: { clientAddress: expect.any(String), sessionId: expect.any(String) } });
  });
});

describe('failed attempts of one address', () => {
  it('more than 30 failed sign-ins or activations within 60 seconds (the 31st still answered 401) → 429 RATE_LIMITED with Retry-After until the 60 seconds have passed', async () => {
    const user = await createUser(admin(), { name: '吴限流', role: 'finance', regionCode: '511702' });
    for (let failure = 0; failure < 26; failure++) {
      expect((await signInFrom('10.5.0.1', `name${failure}`, 'wrong')).status).toBe(401);
    }
    for (let failure = 0; failure < 5; failure++) {
      expect((await attempt('activate', { username: user.username, activationCode: 'WRONGCODE234', password: 'x' }, '10.5.0.1')).status).toBe(401);
    }
    advance(20_000);
    const refused = await signInFrom('10.5.0.1', user.username, user.password);
    expect([refused.status, refused.body.error.code, refused.headers['retry-after']]).toEqual([429, 'RATE_LIMITED', '40']);
    expect((await attempt('activate', { username: user.username, activationCode: 'WRONGCODE234', password: 'x' }, '10.5.0.1')).status).toBe(429);
    // Another address is not touched.
    expect((await signInFrom('10.5.0.2', user.username, user.password)).status).toBe(200);
    advance(40_000);
    expect((await signInFrom('10.5.0.1', user.username, user.password)).status).toBe(200);
  });

  it('successful sign-ins are not counted: a whole office behind one address signs in together', async () => {
    const users = [];
    for (let index = 0; index < 4; index++) users.push(await createUser(admin(), { name: `办公室${index}`, role: 'reviewer', regionCode: '511702' }));
    for (let round = 0; round < 10; round++) for (const user of users) expect((await signInFrom('10.6.0.1', user.username, user.password)).status).toBe(200);
    for (let failure = 0; failure < 31; failure++) expect((await signInFrom('10.6.0.1', `typo${failure}`, 'wrong')).status).toBe(401);
    expect((await signInFrom('10.6.0.1', users[0]!.username, users[0]!.password)).status).toBe(429);
  });

  it('behind TRUST_PROXY the client address is the one the proxy forwards', async () => {
    const proxied = await createTestApp({ trustProxy: ['127.0.0.1'] });
    try {
      const send = (forwarded: string) => proxied.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'nobody.at.all', password: 'x' }, headers: { 'x-forwarded-for': forwarded } });
      for (let failure = 0; failure < 5; failure++) await send('192.168.7.1');
      expect((await send('192.168.7.1')).json().error.code).toBe('ACCOUNT_LOCKED');
      expect((await send('192.168.7.2')).json().error.code).toBe('UNAUTHENTICATED');
    } finally {
      await proxied.close();
    }
  });
});

