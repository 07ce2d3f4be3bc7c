import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, client, tableCounts, type TestApp } from './support/testApp.js';
import { withTestApp } from './support/lifecycle.js';

// The bootstrap token opens the door once: its admin sets up the service and creates a personal
// admin, after which the bootstrap token answers 401 and the audit says why.

let test: TestApp;
withTestApp((made) => (test = made));

describe('the bootstrap admin', () => {
  it('works until the first personal admin is created, then answers 401; the audit says so', async () => {
    const bootstrap = client(test.app, ADMIN_TOKEN);
    const me = await bootstrap.get('/api/v1/me');
    expect(me.body).toMatchObject({ role: 'admin', bootstrap: true });
    // Setting up institutions and other users leaves the door open.
    const reviewer = await bootstrap.post('/api/v1/users', { name: '王审核', role: 'reviewer', regionCode: '511702' });
    expect(reviewer.status).toBe(201);
    expect((await bootstrap.get('/api/v1/me')).status).toBe(200);

    const personal = await bootstrap.post('/api/v1/users', { name: '张管理', role: 'admin' });
    expect(personal.status).toBe(201);
    const gone = await bootstrap.get('/api/v1/me');
    expect([gone.status, gone.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);

    const admin = client(test.app, personal.body.token);
    expect((await admin.get('/api/v1/me')).body).toMatchObject({ role: 'admin', bootstrap: false, name: '张管理' });
    const users = (await admin.get('/api/v1/users')).body.items as { id: string; bootstrap: boolean; disabledAt: string | null }[];
    const retired = users.find((user) => user.bootstrap)!;
    expect(retired.disabledAt).not.toBeNull();
    const audit = await admin.get(`/api/v1/audit?entityType=user&entityId=${retired.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(['user.created', 'user.disabled']);
    expect(audit.body.items[1]).toMatchObject({ actorId: retired.id, data: { personalAdminId: personal.body.id } });
    // The reviewer the bootstrap admin created keeps working.
    expect((await client(test.app, reviewer.body.token).get('/api/v1/me')).status).toBe(200);
  });

  it('bootstrapping again on a database with users creates nothing', async () => {
    const { createUsersService } = await import('../src/auth/users.service.js');
    const before = await tableCounts(test.db);
    expect(await createUsersService({ db: test.db }).bootstrapAdmin('another-bootstrap-token-0123456789')).toBe(false);
    expect(await tableCounts(test.db)).toEqual(before);
    expect((await client(test.app, 'another-bootstrap-token-0123456789').get('/api/v1/me')).status).toBe(401);
  });
});
