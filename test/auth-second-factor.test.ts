import { beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/auth/totp.js';
import { withTestApp } from './support/lifecycle.js';
import { ADMIN_TOKEN, client, signIn, type TestApp } from './support/testApp.js';
import { createUser, type CreatedUser } from './support/world.js';

// The second factor (security.md §1): TOTP, required of every role by default, of admins only
// with REQUIRE_SECOND_FACTOR=admins; a restricted session until it is set up; recovery codes.

const advanceOf = (test: TestApp) => (ms: number) => test.clock.set(new Date(test.clock.now().getTime() + ms).toISOString());

async function setUp(test: TestApp, session: Awaited<ReturnType<typeof signIn>>) {
  const started = await session.post('/api/v1/me/totp', {});
  expect(started.status).toBe(200);
  expect(started.body.otpauthUri).toContain(`secret=${started.body.secret}`);
  expect(started.body.qrCodeSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  const confirmed = await session.post('/api/v1/me/totp/confirm', { otp: totpCode(started.body.secret, test.clock.now().getTime()) });
  expect(confirmed.status).toBe(200);
  return { secret: started.body.secret as string, recoveryCodes: confirmed.body.recoveryCodes as string[] };
}

describe('REQUIRE_SECOND_FACTOR=all (the default)', () => {
  let test: TestApp;
  let user: CreatedUser;
  withTestApp((made) => (test = made), { auth: { requireSecondFactor: 'all' } });
  beforeAll(async () => {
    user = await createUser(client(test.app, ADMIN_TOKEN), { name: '钱双因', role: 'finance', regionCode: '511702' });
  });

  it('a user without a factor signs in to a restricted session: only GET /me, PUT /me/password, /me/totp… and sign-out', async () => {
    const session = await signIn(test.app, user.username, user.password);
    expect(session.signIn).toMatchObject({ mustSetUpSecondFactor: true, user: { secondFactor: { enabled: false, required: true } } });
    const refused = await session.get('/api/v1/batches');
    expect([refused.status, refused.body.error.code, refused.body.error.details[0].reason]).toEqual([403, 'FORBIDDEN', 'SECOND_FACTOR_SETUP_REQUIRED']);
    expect((await session.get('/api/v1/me')).status).toBe(200);
    expect((await session.get('/api/v1/me/sessions')).status).toBe(403);
    const { secret, recoveryCodes } = await setUp(test, session);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // Set up, the same session is a full one.
    expect((await session.get('/api/v1/batches')).status).toBe(200);
    expect((await session.get('/api/v1/me')).body).toMatchObject({ mustSetUpSecondFactor: false, secondFactor: { enabled: true } });
    const audit = await client(test.app, ADMIN_TOKEN).get(`/api/v1/audit?entityId=${user.id}&action=auth.totp_enabled`);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
    Object.assign(user, { secret, recoveryCodes });
  });

  it('then sign-in asks for the code: none → 401 OTP_REQUIRED, a wrong one → 401 UNAUTHENTICATED and counts as a failure; a code works once', async () => {
    const { secret } = user as CreatedUser & { secret: string };
    const anonymous = client(test.app);
    const none = await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password });
    expect([none.status, none.body.error.code]).toEqual([401, 'OTP_REQUIRED']);
    const wrong = await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: '000000' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'UNAUTHENTICATED']);
    const failures = await client(test.app, ADMIN_TOKEN).get(`/api/v1/audit?entityId=${user.id}&action=auth.sign_in_failed`);
    expect(failures.body.items.at(-1).data.reason).toBe('wrong_otp');
    // A wrong password with the right code is still a wrong password.
    expect((await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: 'wrong', otp: totpCode(secret, test.clock.now().getTime()) })).body.error.code).toBe('UNAUTHENTICATED');
    advanceOf(test)(30_000);
    const code = totpCode(secret, test.clock.now().getTime());
    const session = await signIn(test.app, user.username, user.password, code);
    expect(session.signIn.mustSetUpSecondFactor).toBe(false);
    const replay = await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: code });
    expect(replay.body.error.code).toBe('UNAUTHENTICATED');
    // One step either side is accepted.
    advanceOf(test)(60_000);
    expect((await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: totpCode(secret, test.clock.now().getTime() - 30_000) })).status).toBe(200);
  });

  it('a recovery code stands in for the code, once', async () => {
    const { recoveryCodes } = user as CreatedUser & { recoveryCodes: string[] };
    const anonymous = client(test.app);
    expect((await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: recoveryCodes[0] })).status).toBe(200);
    expect((await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: recoveryCodes[0] })).status).toBe(401);
    expect((await anonymous.post('/api/v1/auth/sign-in', { username: user.username, password: user.password, otp: recoveryCodes[1]!.toLowerCase() })).status).toBe(200);
  });

  it('the factor cannot be turned off where the setting requires it (403); a reset clears it', async () => {
    const { secret } = user as CreatedUser & { secret: string };
    advanceOf(test)(30_000);
    const session = await signIn(test.app, user.username, user.password, totpCode(secret, test.clock.now().getTime()));
    advanceOf(test)(30_000);
    const refused = await session.delete('/api/v1/me/totp', { otp: totpCode(secret, test.clock.now().getTime()) });
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
    const reset = await client(test.app, ADMIN_TOKEN).post(`/api/v1/users/${user.id}/reset`, {});
    expect(reset.body.secondFactor).toBe(false);
    const password = 'Kx9#after-the-reset';
    await client(test.app).post('/api/v1/auth/activate', { username: user.username, activationCode: reset.body.activationCode, password });
    const fresh = await signIn(test.app, user.username, password);
    expect(fresh.signIn.mustSetUpSecondFactor).toBe(true);
  });
});

describe('REQUIRE_SECOND_FACTOR=admins', () => {
  let test: TestApp;
  let reviewer: CreatedUser;
  let another: CreatedUser;
  withTestApp((made) => (test = made), { auth: { requireSecondFactor: 'admins' } });
  beforeAll(async () => {
    // Made before the personal admin activates (the bootstrap token stops then).
    reviewer = await createUser(client(test.app, ADMIN_TOKEN), { name: '审核', role: 'reviewer', regionCode: '511702' });
    another = await createUser(client(test.app, ADMIN_TOKEN), { name: '错码', role: 'reviewer', regionCode: '511702' });
  });

  it('an admin must set one up; a reviewer need not, may set one up and turn it off with a code', async () => {
    const admin = await createUser(client(test.app, ADMIN_TOKEN), { name: '管理员', role: 'admin' });
    const adminSession = await signIn(test.app, admin.username, admin.password);
    expect(adminSession.signIn.mustSetUpSecondFactor).toBe(true);
    expect((await adminSession.get('/api/v1/users')).status).toBe(403);

    const session = await signIn(test.app, reviewer.username, reviewer.password);
    expect(session.signIn.mustSetUpSecondFactor).toBe(false);
    expect((await session.get('/api/v1/children')).status).toBe(200);
    const { secret } = await setUp(test, session);
    expect((await session.post('/api/v1/me/totp', {})).status).toBe(409);
    const wrong = await session.delete('/api/v1/me/totp', { otp: '123456' });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    advanceOf(test)(30_000);
    expect((await session.delete('/api/v1/me/totp', { otp: totpCode(secret, test.clock.now().getTime()) })).body).toEqual({ enabled: false });
    expect((await client(test.app).post('/api/v1/auth/sign-in', { username: reviewer.username, password: reviewer.password })).status).toBe(200);
    await setUp(test, adminSession);
    const audit = await adminSession.get(`/api/v1/audit?entityId=${reviewer.id}`);
    expect(audit.body.items.map((event: { action: string }) => event.action)).toEqual(expect.arrayContaining(['auth.totp_enabled', 'auth.totp_disabled']));
  });

  it('a wrong code at set-up is refused and leaves the factor off', async () => {
    await another.client.post('/api/v1/me/totp', {});
    const wrong = await another.client.post('/api/v1/me/totp/confirm', { otp: '000000' });
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await another.client.get('/api/v1/me')).body.secondFactor.enabled).toBe(false);
  });
});
