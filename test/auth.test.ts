import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, signIn, strongPassword, tableCounts, type TestApp } from './support/testApp.js';
import { activateUser, createUser, OTHER_REGION, REGION, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Who is calling (security.md §1, api.md Conventions) and the accounts an admin makes: usernames
// and activation codes, never a token; disable, enable and reset end credentials at once.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const rows = async <T>(query: ReturnType<typeof sql>) => {
  const result = (await test.db.execute(query)) as unknown as { rows?: T[] } & T[];
  return result.rows ?? result;
};

describe('authentication', () => {
  it.each([
    ['no header', {}],
    ['an unknown token', { authorization: 'Bearer not-a-known-token' }],
    ['another scheme', { authorization: `Basic ${ADMIN_TOKEN}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
    ['the token without the scheme', { authorization: ADMIN_TOKEN }],
    ['an unknown session cookie', { cookie: 'rehab_session=not-a-session' }],
  ])('%s → 401 UNAUTHENTICATED', async (_label, headers) => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v1/me', headers });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('401 comes before validation and before 404', async () => {
    expect((await world.anonymous.post('/api/v1/children', { junk: true })).status).toBe(401);
    expect((await world.anonymous.get('/api/v1/children/not-an-id')).status).toBe(401);
  });

  it('GET /me tells each user who they are and how they signed in', async () => {
    expect((await world.admin.get('/api/v1/me')).body).toMatchObject({ role: 'admin', regionCode: null, institutionId: null, bootstrap: false, credential: 'session' });
    expect((await world.auditor.get('/api/v1/me')).body).toMatchObject({ role: 'auditor', regionCode: null, institutionId: null, credential: 'session' });
    expect((await world.reviewer.get('/api/v1/me')).body).toMatchObject({
      name: '王审核',
      username: world.users.reviewer.username,
      role: 'reviewer',
      regionCode: REGION,
      institutionId: null,
      credential: 'session',
      mustChangePassword: false,
      mustSetUpSecondFactor: false,
      secondFactor: { enabled: false, required: false },
    });
    expect((await world.finance.get('/api/v1/me')).body).toMatchObject({ role: 'finance', regionCode: REGION });
    expect((await world.a.get('/api/v1/me')).body).toMatchObject({ role: 'institution', institutionId: world.instA.id, regionCode: null, credential: 'token' });
  });
});

describe('POST /users', () => {
  it('answers the username and an activation code, never a token; the code is stored only as a hash and works once, for 72 hours', async () => {
    const response = await world.admin.post('/api/v1/users', { name: '新审核', role: 'reviewer', regionCode: OTHER_REGION, username: 'Li.Xin_2' });
    expect(response.status).toBe(201);
    // A personal admin has activated: the opening waits for the second admin (security.md §1).
    expect(response.body).toMatchObject({ name: '新审核', username: 'li.xin_2', role: 'reviewer', regionCode: OTHER_REGION, institutionId: null, activated: false, pending: { action: 'create', requestedBy: { id: world.users.admin.id } } });
    expect(response.body).not.toHaveProperty('token');
    expect(response.body.activationCode).toMatch(/^[2-9A-Z]{12}$/);
    expect(Date.parse(response.body.activationExpiresAt) - test.clock.now().getTime()).toBe(72 * 3600_000);
    const anywhere = await rows<{ n: number }>(sql`select count(*)::int as n from users u where u::text like ${'%' + response.body.activationCode + '%'}`);
    expect(anywhere[0]!.n).toBe(0);
    const list = await world.admin.get('/api/v1/users?limit=500');
    expect(JSON.stringify(list.body)).not.toContain(response.body.activationCode);
    const audit = await world.admin.get(`/api/v1/audit?entityId=${response.body.id}`);
    expect(JSON.stringify(audit.body)).not.toContain(response.body.activationCode);

    expect((await world.admin2.post(`/api/v1/users/${response.body.id}/confirm`)).status).toBe(200);
    const user = await activateUser(test.app, response.body);
    expect((await user.client.get('/api/v1/me')).body).toMatchObject({ id: response.body.id, username: 'li.xin_2' });
    // Spent: the code does not work a second time.
    const again = await client(test.app).post('/api/v1/auth/activate', { username: 'li.xin_2', activationCode: response.body.activationCode, password: strongPassword() });
    expect([again.status, again.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });

  it('makes a username when none is given; a taken one (any case) is 409 ALREADY_EXISTS and writes nothing', async () => {
    const made = await world.admin.post('/api/v1/users', { name: '无名', role: 'finance', regionCode: REGION });
    expect(made.body.username).toMatch(/^finance\d+$/);
    const before = await tableCounts(test.db);
    const taken = await world.admin.post('/api/v1/users', { name: '重名', role: 'reviewer', regionCode: REGION, username: made.body.username.toUpperCase() });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'ALREADY_EXISTS']);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it.each([
    ['reviewer without region', { name: 'x', role: 'reviewer' }, 'regionCode'],
    ['finance without region', { name: 'x', role: 'finance' }, 'regionCode'],
    ['institution without institution', { name: 'x', role: 'institution' }, 'institutionId'],
    ['institution with a region', { name: 'x', role: 'institution', institutionId: '00000000-0000-7000-8000-000000000001', regionCode: REGION }, 'regionCode'],
    ['admin with a region', { name: 'x', role: 'admin', regionCode: REGION }, 'regionCode'],
    ['reviewer with an institution', { name: 'x', role: 'reviewer', regionCode: REGION, institutionId: '00000000-0000-7000-8000-000000000001' }, 'institutionId'],
    ['unknown role', { name: 'x', role: 'superuser' }, 'role'],
    ['bad region code', { name: 'x', role: 'reviewer', regionCode: '51170' }, 'regionCode'],
    ['empty name', { name: '  ', role: 'admin' }, 'name'],
    ['a username of two characters', { name: 'x', role: 'admin', username: 'ab' }, 'username'],
    ['a username of 33 characters', { name: 'x', role: 'admin', username: 'a'.repeat(33) }, 'username'],
    ['a username with a space', { name: 'x', role: 'admin', username: 'zhang hao' }, 'username'],
    ['a username in Chinese', { name: 'x', role: 'admin', username: '张浩' }, 'username'],
    ['a token chosen by the admin', { name: 'x', role: 'admin', token: 'chosen' }, null],
    ['a password chosen by the admin', { name: 'x', role: 'admin', password: 'Kx9#chosen-by-admin' }, null],
  ])('refuses %s with 400 and writes nothing', async (_label, body, field) => {
    const before = await tableCounts(test.db);
    const response = await world.admin.post('/api/v1/users', body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    if (field) expect(response.body.error.details.map((detail: { field: string }) => detail.field)).toContain(field);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('refuses an institution user for an unknown institution', async () => {
    const before = await tableCounts(test.db);
    const response = await world.admin.post('/api/v1/users', { name: 'x', role: 'institution', institutionId: '01a20000-0000-7000-8000-000000000000' });
    expect(response.status).toBe(400);
    expect(await tableCounts(test.db)).toEqual(before);
  });

  it('only an admin creates or lists users: 403 for every other role, before the body is looked at', async () => {
    for (const caller of [world.reviewer, world.finance, world.a]) {
      const created = await caller.post('/api/v1/users', { name: 'x', role: 'admin' });
      expect([created.status, created.body.error.code]).toEqual([403, 'FORBIDDEN']);
      expect((await caller.get('/api/v1/users')).status).toBe(403);
    }
    expect((await world.reviewer.post('/api/v1/users', { nonsense: true })).status).toBe(403);
  });

  it('lists users with cursor pagination: username, whether activated, no credential of anyone', async () => {
    const first = await world.admin.get('/api/v1/users?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    const second = await world.admin.get(`/api/v1/users?limit=3&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((user: { id: string }) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = await world.admin.get('/api/v1/users?limit=500');
    const reviewer = all.body.items.find((user: { id: string }) => user.id === world.users.reviewer.id);
    expect(reviewer).toMatchObject({ username: world.users.reviewer.username, activated: true, activationExpiresAt: null, pending: null });
    for (const forbidden of ['token', 'tokenHash', 'passwordHash', 'activationCode', 'activationCodeHash', 'totpSecret']) expect(reviewer).not.toHaveProperty(forbidden);
    expect(JSON.stringify(all.body)).not.toContain(world.users.reviewer.password);
    expect((await world.admin.get('/api/v1/users?cursor=garbage')).status).toBe(400);
    expect((await world.admin.get('/api/v1/users?limit=501')).status).toBe(400);
  });

  it('POST /users/:id/token is gone: 404', async () => {
    const response = await world.admin.post(`/api/v1/users/${world.users.finance.id}/token`, {});
    expect([response.status, response.body.error.code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('managing users', () => {
  it('disable ends every session and API token at once, even just after use; enable gives none back', async () => {
    const reviewer = await createUser(world.admin, { name: '临时审核', role: 'reviewer', regionCode: REGION });
    const institution = await createUser(world.admin, { name: '临时会计', role: 'institution', institutionId: world.instB.id });
    expect((await reviewer.client.get('/api/v1/me')).status).toBe(200);
    expect((await institution.client.get('/api/v1/me')).status).toBe(200);
    for (const user of [reviewer, institution]) {
      const disabled = await world.admin.post(`/api/v1/users/${user.id}/disable`, {});
      expect(disabled.body.disabledAt).toEqual(expect.any(String));
    }
    const ended = await reviewer.client.get('/api/v1/me');
    expect([ended.status, ended.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await institution.client.get('/api/v1/me')).status).toBe(401);
    // Disabled, the right password signs nobody in; its owner is told the account is disabled, and
    // a wrong password learns nothing of it.
    const refused = await client(test.app).post('/api/v1/auth/sign-in', { username: reviewer.username, password: reviewer.password });
    expect([refused.status, refused.body.error.code, refused.body.error.details]).toEqual([401, 'UNAUTHENTICATED', [{ reason: 'ACCOUNT_DISABLED' }]]);
    const guessed = await client(test.app).post('/api/v1/auth/sign-in', { username: reviewer.username, password: 'Kx9#not-the-password' });
    expect([guessed.status, guessed.body.error.details]).toEqual([401, []]);
    // Disabling again changes nothing.
    expect((await world.admin.post(`/api/v1/users/${reviewer.id}/disable`, {})).body.disabledAt).toEqual(expect.any(String));
    // Enabling waits for the second admin (security.md §1), then takes effect.
    for (const user of [reviewer, institution]) {
      expect((await world.admin.post(`/api/v1/users/${user.id}/enable`, {})).body).toMatchObject({ disabledAt: expect.any(String), pending: { action: 'enable' } });
      expect((await world.admin2.post(`/api/v1/users/${user.id}/confirm`, {})).body.disabledAt).toBeNull();
    }
    // Enabled: the old session and token stay ended; the password signs in anew.
    expect((await reviewer.client.get('/api/v1/me')).status).toBe(401);
    expect((await institution.client.get('/api/v1/me')).status).toBe(401);
    expect((await (await signIn(test.app, reviewer.username, reviewer.password)).get('/api/v1/me')).status).toBe(200);
    const audit = await world.admin.get(`/api/v1/audit?entityId=${reviewer.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['user.created', 'user.confirmed', 'auth.activated', 'auth.signed_in', 'user.disabled', 'auth.sign_in_failed', 'auth.sign_in_failed', 'user.enabled', 'user.confirmed', 'auth.signed_in']);
  });

  it('reset: the old password, every session and token stop at once; a new activation code; the user sees who reset it at the next sign-in', async () => {
    const finance = await createUser(world.admin, { name: '丢失密码', role: 'finance', regionCode: REGION });
    const institution = await createUser(world.admin, { name: '丢失令牌', role: 'institution', institutionId: world.instB.id });
    const reset = await world.admin.post(`/api/v1/users/${finance.id}/reset`, {});
    expect(reset.status).toBe(200);
    expect(reset.body).toMatchObject({ id: finance.id, username: finance.username, activated: false, activationCode: expect.stringMatching(/^[2-9A-Z]{12}$/) });
    expect(reset.body).not.toHaveProperty('token');
    expect((await finance.client.get('/api/v1/me')).status).toBe(401);
    expect((await client(test.app).post('/api/v1/auth/sign-in', { username: finance.username, password: finance.password })).status).toBe(401);
    await world.admin.post(`/api/v1/users/${institution.id}/reset`, {});
    expect((await institution.client.get('/api/v1/me')).status).toBe(401);

    // The new code works once the second admin confirmed the reset.
    const password = strongPassword();
    expect((await client(test.app).post('/api/v1/auth/activate', { username: finance.username, activationCode: reset.body.activationCode, password })).status).toBe(401);
    expect((await world.admin2.post(`/api/v1/users/${finance.id}/confirm`, {})).status).toBe(200);
    expect((await client(test.app).post('/api/v1/auth/activate', { username: finance.username, activationCode: reset.body.activationCode, password })).status).toBe(200);
    const signedIn = await signIn(test.app, finance.username, password);
    expect(signedIn.signIn.resetNotice).toMatchObject({ at: test.clock.now().toISOString(), by: { name: '系统管理员甲' }, confirmedBy: { name: '系统管理员乙' } });
    expect((await signIn(test.app, finance.username, password)).signIn.resetNotice).toBeNull();
    const audit = await world.admin.get(`/api/v1/audit?entityId=${finance.id}&action=user.reset`);
    expect(audit.body.items).toHaveLength(1);
    expect(JSON.stringify(audit.body)).not.toContain(reset.body.activationCode);
  });

  it('an unknown user is 404; the bootstrap admin is not managed by hand (409); an admin does not reset or disable themselves; only an admin manages users (403)', async () => {
    expect((await world.admin.post('/api/v1/users/0190f000-0000-7000-8000-000000000000/disable', {})).status).toBe(404);
    expect((await world.admin.post('/api/v1/users/0190f000-0000-7000-8000-000000000000/reset', {})).status).toBe(404);
    const me = await world.admin.get('/api/v1/me');
    expect((await world.admin.post(`/api/v1/users/${me.body.id}/reset`, {})).status).toBe(409);
    expect((await world.admin.post(`/api/v1/users/${me.body.id}/disable`, {})).status).toBe(409);
    for (const action of ['disable', 'reset', 'enable', 'confirm']) expect((await world.reviewer.post(`/api/v1/users/${world.users.finance.id}/${action}`, {})).status).toBe(403);
  });
});

describe('usernames made at the same moment', () => {
  it('ten accounts opened at once without a username each get their own (none is refused)', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, (_, index) => world.admin.post('/api/v1/users', { name: `同时${index}`, role: 'civil_affairs', regionCode: REGION })));
    expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
    expect(new Set(responses.map((response) => response.body.username)).size).toBe(10);
  });
});
