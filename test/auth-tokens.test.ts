import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTestApp } from './support/lifecycle.js';
import { ADMIN_TOKEN, client, signIn, type TestApp } from './support/testApp.js';
import { createInstitution, createUser, type CreatedUser } from './support/world.js';

// API tokens (security.md §1): an institution's own system works with a token its owner makes in a
// full session; shown once, stored as a hash, at most 366 days, revoked by its owner, a disable or
// a reset. Every other role works in the console (403).

let test: TestApp;
let owner: CreatedUser;
let session: Awaited<ReturnType<typeof signIn>>;
const admin = () => client(test.app, ADMIN_TOKEN);
const advance = (ms: number) => test.clock.set(new Date(test.clock.now().getTime() + ms).toISOString());
withTestApp((made) => (test = made));
beforeAll(async () => {
  const institution = await createInstitution(admin(), { name: '令牌机构' });
  owner = await createUser(admin(), { name: '系统管理员甲', role: 'institution', institutionId: institution.id });
  session = await signIn(test.app, owner.username, owner.password);
});

describe('API tokens', () => {
  it('POST /me/tokens answers the token once (90 days by default), stores only its hash; GET never shows values', async () => {
    const made = await session.post('/api/v1/me/tokens', { name: '结算系统' });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ id: expect.any(String), name: '结算系统', token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresOn: '2027-02-20' });
    const stored = (await test.db.execute(sql`select count(*)::int as n from api_tokens t where t::text like ${'%' + made.body.token + '%'}`)) as unknown as { rows?: { n: number }[] } & { n: number }[];
    expect((stored.rows ?? stored)[0]!.n).toBe(0);
    const listed = await session.get('/api/v1/me/tokens');
    expect(listed.body.items.find((item: { id: string }) => item.id === made.body.id)).toMatchObject({ name: '结算系统', kind: 'personal', expiresOn: '2027-02-20', revokedAt: null });
    expect(JSON.stringify(listed.body)).not.toContain(made.body.token);
    const api = client(test.app, made.body.token);
    expect((await api.get('/api/v1/me')).body).toMatchObject({ id: owner.id, credential: 'token' });
    const audit = await admin().get(`/api/v1/audit?entityId=${owner.id}&action=token.created`);
    expect(audit.body.items.at(-1).data).toMatchObject({ tokenId: made.body.id, name: '结算系统', expiresOn: '2027-02-20' });
    expect(JSON.stringify(audit.body)).not.toContain(made.body.token);
  });

  it('works through its expiresOn (China date) and not a moment after', async () => {
    const made = await session.post('/api/v1/me/tokens', { name: '短期', expiresOn: '2026-11-23' });
    const api = client(test.app, made.body.token);
    test.clock.set('2026-11-23T23:59:59+08:00');
    expect((await api.get('/api/v1/me')).status).toBe(200);
    advance(1000);
    const expired = await api.get('/api/v1/me');
    expect([expired.status, expired.body.error.details[0].reason]).toEqual([401, 'TOKEN_EXPIRED']);
    test.clock.set('2026-11-22T10:00:00+08:00');
  });

  it('at most 366 days ahead, not in the past; a name is required', async () => {
    expect((await session.post('/api/v1/me/tokens', { name: '最长', expiresOn: '2027-11-23' })).status).toBe(201);
    for (const body of [{ name: '太长', expiresOn: '2027-11-24' }, { name: '过去', expiresOn: '2026-11-21' }, { name: '', expiresOn: '2027-01-01' }, { expiresOn: '2027-01-01' }]) {
      const refused = await session.post('/api/v1/me/tokens', body);
      expect([refused.status, refused.body.error.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('only institution accounts make them (403 for every other role), only in a full session (an API token may not make another)', async () => {
    const reviewer = await createUser(admin(), { name: '审核令牌', role: 'reviewer', regionCode: '511702' });
    const refused = await reviewer.client.post('/api/v1/me/tokens', { name: 'x' });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    expect((await admin().post('/api/v1/me/tokens', { name: 'x' })).status).toBe(403);
    expect((await owner.client.post('/api/v1/me/tokens', { name: 'x' })).status).toBe(403);
  });

  it('DELETE /me/tokens/:id revokes one at once; another user’s is 404', async () => {
    const made = await session.post('/api/v1/me/tokens', { name: '撤销' });
    const api = client(test.app, made.body.token);
    expect((await api.get('/api/v1/me')).status).toBe(200);
    const other = await createUser(admin(), { name: '别的机构', role: 'institution', institutionId: (await createInstitution(admin())).id });
    expect((await other.client.delete(`/api/v1/me/tokens/${made.body.id}`)).status).toBe(404);
    const revoked = await session.delete(`/api/v1/me/tokens/${made.body.id}`);
    expect(revoked.body).toMatchObject({ id: made.body.id, revokedAt: expect.any(String) });
    const after = await api.get('/api/v1/me');
    expect([after.status, after.body.error.details[0].reason]).toEqual([401, 'TOKEN_REVOKED']);
    expect((await admin().get(`/api/v1/audit?entityId=${owner.id}&action=token.revoked`)).body.items).toHaveLength(1);
  });

  it('a disable or a reset of the owner revokes every token at once; enabling gives none back', async () => {
    const made = await session.post('/api/v1/me/tokens', { name: '停用' });
    const api = client(test.app, made.body.token);
    await admin().post(`/api/v1/users/${owner.id}/disable`, {});
    expect((await api.get('/api/v1/me')).status).toBe(401);
    await admin().post(`/api/v1/users/${owner.id}/enable`, {});
    expect((await api.get('/api/v1/me')).status).toBe(401);
  });
});
