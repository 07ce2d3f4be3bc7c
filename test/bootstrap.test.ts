import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, signIn, strongPassword, tableCounts, type TestApp } from './support/testApp.js';
import { activateUser, createUser } from './support/world.js';
import { withTestApp } from './support/lifecycle.js';

// The bootstrap token opens the door once (security.md §1): its admin sets up the service and
// opens personal admin accounts; when the first of them activates, the bootstrap token answers 401
// and the audit says why. From then on two admins act on every account.

let test: TestApp;
withTestApp((made) => (test = made));

describe('the bootstrap admin and two admins for an account', () => {
  let first: Awaited<ReturnType<typeof activateUser>>;
  let second: { id: string; username: string; activationCode: string; role: string };
  let other: Awaited<ReturnType<typeof activateUser>>['client'];
  const bootstrap = () => client(test.app, ADMIN_TOKEN);

  it('works until the first personal admin has activated (creating one is not enough); its creations need no confirmation', async () => {
    expect((await bootstrap().get('/api/v1/me')).body).toMatchObject({ role: 'admin', bootstrap: true, username: 'bootstrap' });
    const reviewer = await createUser(bootstrap(), { name: '王审核', role: 'reviewer', regionCode: '511702' });
    expect((await reviewer.client.get('/api/v1/me')).status).toBe(200);
    const adminA = await bootstrap().post('/api/v1/users', { name: '张管理', role: 'admin', username: 'zhang.admin' });
    const adminB = await bootstrap().post('/api/v1/users', { name: '李管理', role: 'admin', username: 'li.admin' });
    expect(adminA.body.pending).toBeNull();
    expect(adminB.body.pending).toBeNull();
    second = adminB.body;
    // Created, not activated: the door stays open.
    expect((await bootstrap().get('/api/v1/me')).status).toBe(200);

    first = await activateUser(test.app, adminA.body);
    const gone = await bootstrap().get('/api/v1/me');
    expect([gone.status, gone.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await first.client.get('/api/v1/me')).body).toMatchObject({ role: 'admin', bootstrap: false, name: '张管理' });
    const users = (await first.client.get('/api/v1/users')).body.items as { id: string; bootstrap: boolean; disabledAt: string | null }[];
    const retired = users.find((user) => user.bootstrap)!;
    expect(retired.disabledAt).not.toBeNull();
    const audit = await first.client.get(`/api/v1/audit?entityType=user&entityId=${retired.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['user.created', 'user.disabled']);
    expect(audit.body.items[1]).toMatchObject({ data: { personalAdminId: adminA.body.id } });
    // Accounts the bootstrap admin made keep working, and the second admin's code still works.
    expect((await reviewer.client.get('/api/v1/me')).status).toBe(200);
    other = (await activateUser(test.app, second)).client;
  });

  it('a creation waits for a second admin: the code answers 401 until then; the list shows who asked; the same admin → 409 FOUR_EYES_REQUIRED', async () => {
    const created = await first.client.post('/api/v1/users', { name: '赵出纳', role: 'finance', regionCode: '511702' });
    expect(created.status).toBe(201);
    expect(created.body.pending).toMatchObject({ action: 'create', requestedBy: { id: first.id, name: '张管理' } });
    const password = strongPassword();
    const early = await client(test.app).post('/api/v1/auth/activate', { username: created.body.username, activationCode: created.body.activationCode, password });
    expect([early.status, early.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const listed = (await other.get('/api/v1/users?limit=500')).body.items.find((user: { id: string }) => user.id === created.body.id);
    expect(listed.pending).toMatchObject({ action: 'create', requestedBy: { name: '张管理' }, requestedAt: expect.any(String) });

    const before = await tableCounts(test.db);
    const same = await first.client.post(`/api/v1/users/${created.body.id}/confirm`, {});
    expect([same.status, same.body.error.code]).toEqual([409, 'FOUR_EYES_REQUIRED']);
    expect(await tableCounts(test.db)).toEqual(before);
    const confirmed = await other.post(`/api/v1/users/${created.body.id}/confirm`, {});
    expect([confirmed.status, confirmed.body.pending]).toEqual([200, null]);
    expect((await client(test.app).post('/api/v1/auth/activate', { username: created.body.username, activationCode: created.body.activationCode, password })).status).toBe(200);
    // Nothing waits any more.
    expect((await other.post(`/api/v1/users/${created.body.id}/confirm`, {})).status).toBe(409);
  });

  it('a reset and an enabling wait for a second admin too; the reset user sees who reset and who confirmed', async () => {
    const created = await first.client.post('/api/v1/users', { name: '钱民政', role: 'civil_affairs', regionCode: '511702' });
    await other.post(`/api/v1/users/${created.body.id}/confirm`, {});
    const user = await activateUser(test.app, created.body);

    const reset = await first.client.post(`/api/v1/users/${user.id}/reset`, {});
    expect(reset.body.pending).toMatchObject({ action: 'reset' });
    // The old password and session stop at once, before any confirmation.
    expect((await user.client.get('/api/v1/me')).status).toBe(401);
    const password = strongPassword();
    expect((await client(test.app).post('/api/v1/auth/activate', { username: user.username, activationCode: reset.body.activationCode, password })).status).toBe(401);
    expect((await other.post(`/api/v1/users/${user.id}/confirm`, {})).status).toBe(200);
    expect((await client(test.app).post('/api/v1/auth/activate', { username: user.username, activationCode: reset.body.activationCode, password })).status).toBe(200);
    const session = await signIn(test.app, user.username, password);
    expect(session.signIn.resetNotice).toMatchObject({ by: { id: first.id, name: '张管理' }, confirmedBy: { name: '李管理' } });

    await first.client.post(`/api/v1/users/${user.id}/disable`, {});
    const enabled = await first.client.post(`/api/v1/users/${user.id}/enable`, {});
    expect(enabled.body).toMatchObject({ disabledAt: expect.any(String), pending: { action: 'enable' } });
    expect((await client(test.app).post('/api/v1/auth/sign-in', { username: user.username, password })).status).toBe(401);
    expect((await first.client.post(`/api/v1/users/${user.id}/confirm`, {})).status).toBe(409);
    expect((await other.post(`/api/v1/users/${user.id}/confirm`, {})).body).toMatchObject({ disabledAt: null, pending: null });
    expect((await signIn(test.app, user.username, password)).signIn.user.username).toBe(user.username);
    const audit = await other.get(`/api/v1/audit?entityId=${user.id}&action=user.confirmed`);
    expect(audit.body.items.map((event: { data: { confirmedAction: string } }) => event.data.confirmedAction)).toEqual(['create', 'reset', 'enable']);
  });

  it('bootstrapping again on a database with users creates nothing', async () => {
    const { createUsersService } = await import('../src/auth/users.service.js');
    const before = await tableCounts(test.db);
    expect(await createUsersService({ db: test.db, keyring: test.keyring }).bootstrapAdmin('another-bootstrap-token-0123456789')).toBe(false);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await client(test.app, 'another-bootstrap-token-0123456789').get('/api/v1/me')).status).toBe(401);
  });
});

