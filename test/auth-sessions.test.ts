import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import type { App } from '../src/http/types.js';
import { withTestApp } from './support/lifecycle.js';
import { ADMIN_TOKEN, client, sessionClient, signIn, strongPassword, TEST_AUTH_SETTINGS, type TestApp } from './support/testApp.js';
import { createUser, type CreatedUser } from './support/world.js';

// Sessions kept by the server (security.md §1): idle and absolute limits on the app's clock, sign-out
// and every other end checked against the server, a second instance on the same database that
// stops a session within 5 seconds, last use written coarsely, CSRF, one's own sessions, the
// password change, passwords that age, and restricted sessions.

let test: TestApp;
let other: App;
const IDLE_MINUTES = 10;
const admin = () => client(test.app, ADMIN_TOKEN);
const advance = (ms: number) => test.clock.set(new Date(test.clock.now().getTime() + ms).toISOString());
const rows = async <T>(query: ReturnType<typeof sql>) => {
  const result = (await test.db.execute(query)) as unknown as { rows?: T[] } & T[];
  return result.rows ?? result;
};

const settings = { sessionIdleMinutes: IDLE_MINUTES, sessionMaxHours: 2, passwordMaxAgeDays: 90 };
withTestApp((made) => (test = made), { auth: settings });
beforeAll(async () => {
  // A second instance of the service on the same database, with its own memory, on the same clock.
  other = await buildApp({ db: test.db, keyring: test.keyring, clock: test.clock.now, auth: { ...TEST_AUTH_SETTINGS, ...settings } });
  await other.ready();
});
afterAll(async () => other?.close());

async function reviewer(name: string): Promise<CreatedUser> {
  return createUser(admin(), { name, role: 'reviewer', regionCode: '511702' });
}

describe('the limits of a session', () => {
  it(`ends after ${IDLE_MINUTES} minutes without a request, on the server; each request starts the idle time again`, async () => {
    const user = await reviewer('空闲');
    advance(IDLE_MINUTES * 60_000 - 1000);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    advance(IDLE_MINUTES * 60_000 - 1000);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    advance(IDLE_MINUTES * 60_000);
    const idle = await user.client.get('/api/v1/me');
    expect([idle.status, idle.body.error.code, idle.body.error.details[0].reason]).toEqual([401, 'UNAUTHENTICATED', 'SESSION_IDLE']);
    // A request after the end does not bring it back.
    advance(-IDLE_MINUTES * 60_000);
    expect((await user.client.get('/api/v1/me')).body.error.details[0].reason).toBe('SESSION_ENDED');
  });

  it('ends SESSION_MAX_HOURS after sign-in however busy; the sign-in says when', async () => {
    const user = await reviewer('繁忙');
    const me = await user.client.get('/api/v1/me');
    expect(Date.parse(me.body.session.expiresAt) - test.clock.now().getTime()).toBe(2 * 3600_000);
    expect(me.body.session.idleTimeoutSeconds).toBe(IDLE_MINUTES * 60);
    for (let step = 0; step < 12; step++) {
      advance(9 * 60_000);
      expect((await user.client.get('/api/v1/me')).status).toBe(200);
    }
    advance(12 * 60_000);
    const over = await user.client.get('/api/v1/me');
    expect([over.status, over.body.error.details[0].reason]).toEqual([401, 'SESSION_EXPIRED']);
  });

  it('sign-out ends the session on the server at once (the cookie sent again is refused) and clears the cookie', async () => {
    const user = await reviewer('退出');
    const session = user.client.session!;
    const out = await user.client.post('/api/v1/auth/sign-out', {});
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/rehab_session=;.*Expires=Thu, 01 Jan 1970/);
    const again = await sessionClient(test.app, session).get('/api/v1/me');
    expect([again.status, again.body.error.details[0].reason]).toEqual([401, 'SESSION_ENDED']);
    const audit = await admin().get(`/api/v1/audit?entityId=${user.id}&action=auth.signed_out`);
    expect(audit.body.items).toHaveLength(1);
  });

  it('another instance stops a signed-out, disabled or reset user’s session within 5 seconds (it trusts what it read for 4)', async () => {
    for (const end of ['sign-out', 'disable', 'reset'] as const) {
      const user = await reviewer(`两台${end}`);
      const there = sessionClient(other, user.client.session!);
      expect((await there.get('/api/v1/me')).status).toBe(200);
      if (end === 'sign-out') await user.client.post('/api/v1/auth/sign-out', {});
      else await admin().post(`/api/v1/users/${user.id}/${end}`, {});
      // Here at once; there once its reading is older than 4 s.
      expect((await user.client.get('/api/v1/me')).status).toBe(401);
      advance(5000);
      expect((await there.get('/api/v1/me')).status, end).toBe(401);
    }
  });

  it('a request does not write the session: last use is recorded once it is a minute old there, and the instance keeps the exact time', async () => {
    const user = await reviewer('记录');
    const lastSeen = async () => (await rows<{ last_seen_at: Date | string }>(sql`select last_seen_at from sessions where user_id = ${user.id}`)).map((row) => new Date(row.last_seen_at).toISOString())[0];
    const signedInAt = await lastSeen();
    advance(30_000);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    expect(await lastSeen()).toBe(signedInAt);
    advance(30_000);
    await user.client.get('/api/v1/me');
    expect(await lastSeen()).toBe(test.clock.now().toISOString());
  });
});

describe('CSRF and the cookie', () => {
  it('an unsafe request with the session cookie needs X-CSRF-Token equal to the session’s: else 403 and nothing changes', async () => {
    const user = await reviewer('跨站');
    const { cookie, csrfToken } = user.client.session!;
    const send = (headers: Record<string, string>) => test.app.inject({ method: 'POST', url: '/api/v1/children', payload: {}, headers: { cookie: `rehab_session=${cookie}`, ...headers } });
    for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': csrfToken.slice(1) }] as Record<string, string>[]) {
      const refused = await send(headers);
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await send({ 'x-csrf-token': csrfToken })).statusCode).toBe(400);
    // Reading needs none; the sign-out needs it too.
    expect((await test.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `rehab_session=${cookie}` } })).statusCode).toBe(200);
    expect((await test.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: { cookie: `rehab_session=${cookie}` } })).statusCode).toBe(403);
    // A page loaded again learns its CSRF token from the session.
    const session = await user.client.get('/api/v1/auth/session');
    expect(session.body).toMatchObject({ csrfToken, user: { id: user.id }, session: { id: expect.any(String) } });
  });
});

describe('one’s own sessions', () => {
  it('GET /me/sessions lists the open ones (this one marked); DELETE /me/sessions/:id ends one at once; another user’s is 404', async () => {
    const user = await reviewer('多处');
    const second = await signIn(test.app, user.username, user.password);
    const listed = await user.client.get('/api/v1/me/sessions');
    expect(listed.body.items).toHaveLength(2);
    expect(listed.body.items.filter((item: { current: boolean }) => item.current)).toHaveLength(1);
    expect(listed.body.items[0]).toMatchObject({ clientAddress: '127.0.0.1', createdAt: expect.any(String), lastSeenAt: expect.any(String), expiresAt: expect.any(String) });
    const otherSession = listed.body.items.find((item: { current: boolean }) => !item.current);
    const stranger = await reviewer('旁人');
    expect((await stranger.client.delete(`/api/v1/me/sessions/${otherSession.id}`)).status).toBe(404);
    expect((await user.client.delete(`/api/v1/me/sessions/${otherSession.id}`)).body).toMatchObject({ ended: true, current: false });
    expect((await second.get('/api/v1/me')).status).toBe(401);
    expect((await user.client.get('/api/v1/me/sessions')).body.items).toHaveLength(1);
    expect((await user.client.delete(`/api/v1/me/sessions/${otherSession.id}`)).status).toBe(404);
  });
});

describe('the password', () => {
  it('PUT /me/password: needs the current one, keeps to the policy and the last five, and ends the user’s other sessions', async () => {
    const user = await reviewer('换密码');
    const second = await signIn(test.app, user.username, user.password);
    const wrong = await user.client.put('/api/v1/me/password', { currentPassword: 'not-it', newPassword: strongPassword() });
    expect([wrong.status, wrong.body.error.code, wrong.body.error.details[0].field]).toEqual([400, 'VALIDATION_FAILED', 'currentPassword']);
    const weak = await user.client.put('/api/v1/me/password', { currentPassword: user.password, newPassword: 'short' });
    expect([weak.status, weak.body.error.code]).toEqual([400, 'WEAK_PASSWORD']);
    const passwords = [user.password];
    for (let change = 0; change < 5; change++) {
      const next = strongPassword();
      const changed = await user.client.put('/api/v1/me/password', { currentPassword: passwords.at(-1), newPassword: next });
      expect(changed.status).toBe(200);
      passwords.push(next);
    }
    expect((await second.get('/api/v1/me')).status).toBe(401);
    expect((await user.client.get('/api/v1/me')).status).toBe(200);
    // The last five (the current one among them) are refused; the sixth back is allowed again.
    for (const earlier of passwords.slice(-5)) {
      const reused = await user.client.put('/api/v1/me/password', { currentPassword: passwords.at(-1), newPassword: earlier });
      expect(reused.body.error.details.map((detail: { rule: string }) => detail.rule)).toEqual(['RECENTLY_USED']);
    }
    expect((await user.client.put('/api/v1/me/password', { currentPassword: passwords.at(-1), newPassword: passwords[0] })).status).toBe(200);
    expect((await admin().get(`/api/v1/audit?entityId=${user.id}&action=auth.password_changed`)).body.items).toHaveLength(6);
  });

  it(`a password older than PASSWORD_MAX_AGE_DAYS must be changed at the next sign-in: a restricted session until it is`, async () => {
    const user = await reviewer('过期密码');
    advance(90 * 86_400_000);
    // The session signed in before stays as it was; the next sign-in is restricted.
    const session = await signIn(test.app, user.username, user.password);
    expect(session.signIn).toMatchObject({ mustChangePassword: true, passwordExpiresOn: expect.any(String) });
    const refused = await session.get('/api/v1/children');
    expect([refused.status, refused.body.error.code, refused.body.error.details[0].reason]).toEqual([403, 'FORBIDDEN', 'PASSWORD_CHANGE_REQUIRED']);
    expect((await session.get('/api/v1/me')).body.mustChangePassword).toBe(true);
    expect((await session.put('/api/v1/me/password', { currentPassword: user.password, newPassword: strongPassword() })).status).toBe(200);
    expect((await session.get('/api/v1/children')).status).toBe(200);
    expect((await session.get('/api/v1/me')).body.mustChangePassword).toBe(false);
    advance(-90 * 86_400_000);
  });

  it('an API token may not change its user’s password (403)', async () => {
    const institution = await createUser(admin(), { name: '令牌改密', role: 'institution', institutionId: (await admin().post('/api/v1/institutions', { code: 'PW-1', name: '改密机构', regionCode: '511702', services: ['training'], bankAccount: { bank: '农行', accountName: '改密机构', accountNumber: '6228480000000001' } })).body.id });
    const refused = await institution.client.put('/api/v1/me/password', { currentPassword: institution.password, newPassword: strongPassword() });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });
});
