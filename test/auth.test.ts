import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, createTestApp, tableCounts, type TestApp } from './support/testApp.js';
import { createWorld, OTHER_REGION, REGION, type World } from './support/world.js';

let test: TestApp;
let world: World;
beforeAll(async () => {
  test = await createTestApp();
  world = await createWorld(test);
});
afterAll(async () => test?.close());

describe('authentication', () => {
  it.each([
    ['no header', undefined],
    ['an unknown token', 'Bearer not-a-known-token'],
    ['another scheme', `Basic ${ADMIN_TOKEN}`],
    ['an empty bearer', 'Bearer '],
    ['the token without the scheme', ADMIN_TOKEN],
  ])('%s → 401 UNAUTHENTICATED', async (_label, header) => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v1/me', headers: header ? { authorization: header } : {} });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('401 comes before validation and before 404', async () => {
    expect((await world.anonymous.post('/api/v1/children', { junk: true })).status).toBe(401);
    expect((await world.anonymous.get('/api/v1/children/not-an-id')).status).toBe(401);
  });

  it('GET /me tells each user who they are', async () => {
    expect((await world.admin.get('/api/v1/me')).body).toMatchObject({ role: 'admin', regionCode: null, institutionId: null });
    expect((await world.reviewer.get('/api/v1/me')).body).toMatchObject({ name: '王审核', role: 'reviewer', regionCode: REGION, institutionId: null });
    expect((await world.finance.get('/api/v1/me')).body).toMatchObject({ role: 'finance', regionCode: REGION });
    expect((await world.a.get('/api/v1/me')).body).toMatchObject({ role: 'institution', institutionId: world.instA.id, regionCode: null });
  });
});

describe('POST /users', () => {
  it('creates a user whose token works at once and is stored only as a hash', async () => {
    const response = await world.admin.post('/api/v1/users', { name: '新审核', role: 'reviewer', regionCode: OTHER_REGION });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ name: '新审核', role: 'reviewer', regionCode: OTHER_REGION, institutionId: null });
    expect(response.body.token.length).toBeGreaterThanOrEqual(32);
    const me = await client(test.app, response.body.token).get('/api/v1/me');
    expect(me.body.id).toBe(response.body.id);

    const stored = (await test.db.execute(sql`select token_hash from users where id = ${response.body.id}`)) as any;
    const tokenHash = (stored.rows ?? stored)[0].token_hash;
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).not.toContain(response.body.token);
    const anywhere = (await test.db.execute(sql`select count(*)::int as n from users u where u::text like ${'%' + response.body.token + '%'}`)) as any;
    expect((anywhere.rows ?? anywhere)[0].n).toBe(0);
    // The token is shown once: the user list never holds it.
    const list = await world.admin.get('/api/v1/users?limit=500');
    expect(JSON.stringify(list.body)).not.toContain(response.body.token);
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
    ['extra field', { name: 'x', role: 'admin', token: 'chosen' }, null],
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

  it('only an admin creates or lists users: 403 for every other role', async () => {
    for (const caller of [world.reviewer, world.finance, world.a]) {
      const created = await caller.post('/api/v1/users', { name: 'x', role: 'admin' });
      expect(created.status).toBe(403);
      expect(created.body.error.code).toBe('FORBIDDEN');
      expect((await caller.get('/api/v1/users')).status).toBe(403);
    }
  });

  it('403 is decided before the body is looked at', async () => {
    const response = await world.reviewer.post('/api/v1/users', { nonsense: true });
    expect(response.status).toBe(403);
  });

  it('lists users with cursor pagination and no token', async () => {
    const first = await world.admin.get('/api/v1/users?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(3);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await world.admin.get(`/api/v1/users?limit=3&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.items, ...second.body.items].map((user: { id: string }) => user.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.body.items[0]).not.toHaveProperty('token');
    expect(first.body.items[0]).not.toHaveProperty('tokenHash');
    expect((await world.admin.get('/api/v1/users?cursor=garbage')).status).toBe(400);
    expect((await world.admin.get('/api/v1/users?limit=0')).status).toBe(400);
    expect((await world.admin.get('/api/v1/users?limit=501')).status).toBe(400);
  });
});

describe('bootstrap admin', () => {
  it('is created once, only while the database has no user', async () => {
    const { createUsersService } = await import('../src/auth/users.service.js');
    const users = createUsersService({ db: test.db });
    expect(await users.bootstrapAdmin('another-bootstrap-token-123')).toBe(false);
    expect((await client(test.app, 'another-bootstrap-token-123').get('/api/v1/me')).status).toBe(401);
  });
});

describe('managing users', () => {
  it('a disabled user’s token answers 401 at once, even just after it was used; enabled again, it works', async () => {
    const user = await world.admin.post('/api/v1/users', { name: '临时审核', role: 'reviewer', regionCode: REGION });
    const reviewer = client(test.app, user.body.token);
    expect((await reviewer.get('/api/v1/me')).status).toBe(200);
    const disabled = await world.admin.post(`/api/v1/users/${user.body.id}/disable`, {});
    expect(disabled.status).toBe(200);
    expect(disabled.body.disabledAt).toEqual(expect.any(String));
    expect((await reviewer.get('/api/v1/me')).status).toBe(401);
    // Disabling again changes nothing.
    expect((await world.admin.post(`/api/v1/users/${user.body.id}/disable`, {})).body.disabledAt).toBe(disabled.body.disabledAt);
    const enabled = await world.admin.post(`/api/v1/users/${user.body.id}/enable`, {});
    expect(enabled.body.disabledAt).toBeNull();
    expect((await reviewer.get('/api/v1/me')).status).toBe(200);
    const audit = await world.admin.get(`/api/v1/audit?entityId=${user.body.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['user.created', 'user.disabled', 'user.enabled']);
  });

  it('a new token for a user who lost theirs: shown once, the old one stops at once, the user keeps role and scope', async () => {
    const user = await world.admin.post('/api/v1/users', { name: '丢失令牌', role: 'finance', regionCode: REGION });
    const old = client(test.app, user.body.token);
    expect((await old.get('/api/v1/me')).status).toBe(200);
    const reissued = await world.admin.post(`/api/v1/users/${user.body.id}/token`, {});
    expect(reissued.status).toBe(200);
    expect(reissued.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(reissued.body.token).not.toBe(user.body.token);
    expect((await old.get('/api/v1/me')).status).toBe(401);
    expect((await client(test.app, reissued.body.token).get('/api/v1/me')).body).toMatchObject({ id: user.body.id, role: 'finance', regionCode: REGION });
    const listed = await world.admin.get('/api/v1/users?limit=500');
    expect(JSON.stringify(listed.body)).not.toContain(reissued.body.token);
    const audit = await world.admin.get(`/api/v1/audit?entityId=${user.body.id}&action=user.token_reissued`);
    expect(JSON.stringify(audit.body)).not.toContain(reissued.body.token);
    expect(audit.body.items).toHaveLength(1);
  });

  it('an unknown user is 404; the bootstrap admin is not managed by hand (409); only an admin manages users (403)', async () => {
    expect((await world.admin.post('/api/v1/users/0190f000-0000-7000-8000-000000000000/disable', {})).status).toBe(404);
    const bootstrap = ((await world.admin.get('/api/v1/users?limit=500')).body.items as { id: string; bootstrap: boolean }[]).find((user) => user.bootstrap)!;
    expect((await world.admin.post(`/api/v1/users/${bootstrap.id}/token`, {})).status).toBe(409);
    expect((await world.reviewer.post(`/api/v1/users/${world.users.finance.id}/disable`, {})).status).toBe(403);
  });

  // Last in this file: it leaves the world's first admin disabled.
  it('an admin does not disable themselves, nor the last admin whose token works', async () => {
    const [first, second] = [world.users.admin, world.users.admin2];
    const admin = world.admin;
    expect((await admin.post(`/api/v1/users/${first.id}/disable`, {})).status).toBe(409);
    expect((await admin.post(`/api/v1/users/${second.id}/disable`, {})).status).toBe(200);
    const other = world.admin2;
    expect((await other.get('/api/v1/me')).status).toBe(401);
    expect((await admin.post(`/api/v1/users/${second.id}/enable`, {})).status).toBe(200);
    expect((await other.post(`/api/v1/users/${first.id}/disable`, {})).status).toBe(200);
    // Admin 乙 is now the only admin whose token works: nobody can disable it.
    expect((await other.post(`/api/v1/users/${second.id}/disable`, {})).status).toBe(409);
  });
});
