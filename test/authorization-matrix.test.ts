import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/vocabulary.js';
import { submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { totpCode } from '../src/auth/totp.js';
import { createTestApp, idNumber, signIn, type Client, type TestApp } from './support/testApp.js';
import { childBody, createUser, createWorld, referredChild, type World } from './support/world.js';
import { createProtectionActors, freshAccountBody, protectionRows, type ProtectionActors } from './support/protectionMatrix.js';
import { visitRows } from './support/visitsMatrix.js';

// Every route × every role × in scope / out of scope → the status api.md prescribes: 401 without a
// token, 403 for a role that may never do it (before any lookup), 404 out of scope, the success
// status in scope. A route added without a row here fails the first test.

const routes: { method: string; url: string; roles: readonly string[] | undefined }[] = [];
let test: TestApp;
let world: World;
let protection: ProtectionActors;
beforeAll(async () => {
  test = await createTestApp({ onRoute: (route) => routes.push(route) });
  world = await createWorld(test);
  protection = await createProtectionActors((body) => createUser(world.admin, body));
});
afterAll(async () => test?.close());

const ROLES: Role[] = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'institution', 'township', 'department'];
/** The roles of rehabilitation and the care allowance, and the auditor: township and department get 403 there (protection.md §1). */
const SCHEME: Role[] = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'institution'];
interface Call {
  url: string;
  body?: unknown;
  /** A file sent as the body (evidence) names its own content type. */
  headers?: Record<string, string>;
}
interface Row {
  allowed: Role[];
  ok: number;
  /** Sign-in and activation: no credential at all; `make` gives what the person types. */
  public?: boolean;
  /** Where a role's credential decides (the world's admin and institution hold bearer tokens; some routes need a session). */
  okFor?: Partial<Record<Role, number>>;
  /** Who calls, for routes that would end or change the world's own sessions: a fresh account of the role. */
  as?: (role: Role) => Promise<Client>;
  /**
   * What an allowed role's actor outside the scope gets (reviewer, finance, civil affairs and the health department of 511781,
   * institution B, the township 511702102); default ok.
   */
  away?: Partial<Record<Role, number>>;
  make: (role: Role) => Promise<Call>;
}

const home = (role: Role): Client =>
  ({
    admin: world.admin,
    auditor: world.auditor,
    reviewer: world.reviewer,
    finance: world.finance,
    civil_affairs: world.civilAffairs,
    institution: world.a,
    township: protection.township.client,
    department: protection.health.client,
  })[role];
const away = (role: Role): Client | null =>
  ({
    admin: null,
    auditor: null,
    reviewer: world.otherReviewer,
    finance: world.otherFinance,
    civil_affairs: world.otherCivilAffairs,
    institution: world.b,
    township: protection.otherTownship.client,
    department: protection.otherHealth.client,
  })[role];
const scoped = { reviewer: 404, finance: 404, civil_affairs: 404, institution: 404 };

// Fresh resources of region 511702, institution A.
const child = () => referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] }).then((result) => result.child);
const application = async () => (await world.reviewer.post('/api/v1/applications', { childId: (await child()).id, year: 2026, services: ['training'], institutionId: world.instA.id })).body.id as string;
const claimBody = async () => trainingClaim((await child()).id, '2026-01', '2026-01', '1000');
const submitted = async () => (await submit(world.a, await claimBody())).id;
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
const attached = async () => {
  const claimId = await submitted();
  const file = await world.a.request('POST', `/api/v1/claims/${claimId}/attachments?kind=invoice`, PDF, { 'content-type': 'application/pdf' });
  return `/api/v1/claims/${claimId}/attachments/${file.body.id}`;
};
const approved = async () => (await submitAndApprove(world.a, world.reviewer, await claimBody())).id;
const draft = async (builder: Client = world.reviewer) => {
  await approved();
  return (await builder.post('/api/v1/batches', { institutionId: world.instA.id })).body.batches[0] as { id: string; total: string };
};
const issued = async () => {
  const batch = await draft();
  await world.reviewer2.post(`/api/v1/batches/${batch.id}/issue`, {});
  return batch;
};
// A reconciliation a reviewer ran: the institution it concerns and the region's reviewers see it.
const reconciliation = async () => {
  await submitted();
  return (await world.reviewer.post('/api/v1/reconciliations', { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [] })).body.id as string;
};
// An approved referral to institution A: A sees it; a pending one that only names A would not show.
const referral = async () => (await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] })).application.id;

// The care allowance in region 511702. Rolls of a region go in month order, so each roll takes the
// next month from 2011-01 on; beneficiaries are accepted in 2010-06 (born 2010, paid to 2028-01, so
// still active) and verified in 2026-11, so every roll pays them and none holds them for review.
let rollMonthIndex = 2011 * 12;
const nextRollMonth = () => {
  rollMonthIndex += 1;
  return `${Math.floor((rollMonthIndex - 1) / 12)}-${String(((rollMonthIndex - 1) % 12) + 1).padStart(2, '0')}`;
};
const certified = async () => {
  const id = idNumber('511702', '2010-01-01');
  const response = await world.reviewer.post('/api/v1/children', { ...childBody({ idNumber: id, birthDate: '2010-01-01' }), certificateNo: `${id}62` });
  return response.body.id as string;
};
const allowanceBody = async () => ({
  childId: await certified(),
  tier: 'care',
  acceptedOn: '2010-06-01',
  acceptedBy: '东城街道',
  community: { name: '朝阳社区' },
  bankAccount: { bank: '四川农信', accountName: '张大山', accountNumber: '6214670000000000001' },
});
const pendingBeneficiary = async () => (await world.reviewer.post('/api/v1/allowance/beneficiaries', await allowanceBody())).body.id as string;
const beneficiary = async () => {
  const id = await pendingBeneficiary();
  await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/approve`, {});
  await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/verify`, { on: '2026-11-01' });
  return id;
};
// Rolls are built by the second civil affairs officer, so that the matrix's own may issue them (security.md §2).
const draftRoll = async () => {
  const beneficiaryId = await beneficiary();
  const roll = await world.civilAffairs2.post('/api/v1/allowance/rolls', { month: nextRollMonth() });
  return { id: roll.body.id as string, beneficiaryId, month: roll.body.month as string };
};
const publishedRoll = async () => {
  const roll = await draftRoll();
  await world.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/publish`, { from: '2026-11-01' });
  return roll;
};
const issuedRoll = async () => {
  const roll = await publishedRoll();
  await world.civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/issue`, {});
  return roll;
};
const overpayment = async () => {
  const roll = await issuedRoll();
  await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${roll.beneficiaryId}/exit`, { reason: 'moved_out', fromMonth: roll.month });
  const items = (await world.civilAffairs.get('/api/v1/allowance/overpayments?limit=500')).body.items as { id: string; beneficiaryId: string }[];
  return items.find((item) => item.beneficiaryId === roll.beneficiaryId)!.id;
};
/** An overpayment of which 30.00 was recovered before the transfer failed: 30.00 is owed back. */
const refundDue = async () => {
  const roll = await issuedRoll();
  await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${roll.beneficiaryId}/exit`, { reason: 'moved_out', fromMonth: roll.month });
  const items = (await world.civilAffairs.get('/api/v1/allowance/overpayments?limit=500')).body.items as { id: string; beneficiaryId: string }[];
  const id = items.find((item) => item.beneficiaryId === roll.beneficiaryId)!.id;
  await world.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/recoveries`, { amount: '30.00', on: '2026-11-01', voucherNo: 'HK-R' });
  const transfer = ((await world.finance.get(`/api/v1/allowance/rolls/${roll.id}`)).body.transfers as { transferNo: number; beneficiaryId: string }[]).find((item) => item.beneficiaryId === roll.beneficiaryId)!;
  await world.finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results: [{ transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' }] });
  return id;
};
/** Finance sees a roll once it is issued: its rows read an issued roll, the others one in the state at hand. */
const rollFor = (role: Role, make: () => Promise<{ id: string }>) => (role === 'finance' ? issuedRoll() : make());
const ALLOWANCE_OFFICES: Role[] = ['reviewer', 'civil_affairs', 'finance'];

// A user made for a row that disables or resets it, so that the world's users keep theirs; made by
// the world's first admin unless told (its opening then waits for the second admin's confirmation).
const freshUser = async (creator: Client = world.admin) => (await creator.post('/api/v1/users', { name: '临时', role: 'reviewer', regionCode: '511702' })).body.id as string;

// Accounts of the matrix's own, for routes that end sessions or change a password: the world's
// institution works with a bearer token; the other roles sign in afresh (an admin's or auditor's
// account opened by one admin and confirmed by the other, as every account is).
const SESSION_ONLY = { institution: 403 } as const;
const freshAccount = async (role: Role) => {
  if (role === 'institution') return world.a;
  const created = await createUser(world.admin, freshAccountBody(role));
  return Object.assign(created.client, { password: created.password });
};
/** An account opened and confirmed by the two admins, not yet activated: its username and activation code. */
const freshUserBody = async () => {
  const created = await world.admin.post('/api/v1/users', { name: '矩阵登录', role: 'reviewer', regionCode: '511702' });
  await world.admin2.post(`/api/v1/users/${created.body.id}/confirm`);
  return created.body as { username: string; activationCode: string };
};
const lastSecrets = new Map<Client, string>();

const MATRIX: Record<string, Row> = {
  'POST /api/v1/auth/activate': {
    allowed: ROLES,
    ok: 200,
    public: true,
    make: async () => {
      const created = await freshUserBody();
      return { url: '/api/v1/auth/activate', body: { username: created.username, activationCode: created.activationCode, password: 'Kx9#matrix-password' } };
    },
  },
  'POST /api/v1/auth/sign-in': {
    allowed: ROLES,
    ok: 200,
    public: true,
    make: async () => {
      const created = await freshUserBody();
      await world.anonymous.post('/api/v1/auth/activate', { username: created.username, activationCode: created.activationCode, password: 'Kx9#matrix-password' });
      return { url: '/api/v1/auth/sign-in', body: { username: created.username, password: 'Kx9#matrix-password' } };
    },
  },
  'POST /api/v1/auth/sign-out': { allowed: ROLES, ok: 200, okFor: SESSION_ONLY, as: freshAccount, make: async () => ({ url: '/api/v1/auth/sign-out', body: {} }) },
  'GET /api/v1/auth/session': { allowed: ROLES, ok: 200, okFor: SESSION_ONLY, make: async () => ({ url: '/api/v1/auth/session' }) },
  'GET /api/v1/me': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/me' }) },
  // The world's bearer callers may not change a password with a token (403).
  'PUT /api/v1/me/password': {
    allowed: ROLES,
    ok: 200,
    okFor: SESSION_ONLY,
    as: freshAccount,
    make: async () => ({ url: '/api/v1/me/password', body: { currentPassword: 'set-by-as', newPassword: 'Kx9#another-matrix-password' } }),
  },
  'POST /api/v1/me/totp': { allowed: ROLES, ok: 200, okFor: SESSION_ONLY, make: async () => ({ url: '/api/v1/me/totp', body: {} }) },
  'POST /api/v1/me/totp/confirm': {
    allowed: ROLES,
    ok: 200,
    okFor: SESSION_ONLY,
    as: async (role) => {
      const caller = await freshAccount(role);
      const started = await caller.post('/api/v1/me/totp', {});
      if (started.status === 200) lastSecrets.set(caller, started.body.secret);
      return caller;
    },
    make: async () => ({ url: '/api/v1/me/totp/confirm', body: { otp: 'set-by-as' } }),
  },
  'DELETE /api/v1/me/totp': {
    allowed: ROLES,
    ok: 200,
    okFor: SESSION_ONLY,
    as: async (role) => {
      const caller = await freshAccount(role);
      const started = await caller.post('/api/v1/me/totp', {});
      if (started.status === 200) {
        await caller.post('/api/v1/me/totp/confirm', { otp: totpCode(started.body.secret, test.clock.now().getTime()) });
        // The next code, since a code is accepted once.
        lastSecrets.set(caller, started.body.secret);
      }
      return caller;
    },
    make: async () => ({ url: '/api/v1/me/totp', body: { otp: 'set-by-as' } }),
  },
  'GET /api/v1/me/sessions': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/me/sessions' }) },
  // Another session of the world's user of the role.
  'DELETE /api/v1/me/sessions/:id': {
    allowed: ROLES,
    ok: 200,
    // Another user's session is not found.
    away: { ...scoped, township: 404, department: 404 },
    make: async (role) => {
      const user = {
        admin: world.users.admin,
        auditor: world.users.auditor,
        reviewer: world.users.reviewer,
        finance: world.users.finance,
        civil_affairs: world.users.civilAffairs,
        institution: world.users.a,
        township: protection.township,
        department: protection.health,
      }[role];
      const session = await signIn(test.app, user.username, user.password);
      return { url: `/api/v1/me/sessions/${session.signIn.session.id}` };
    },
  },
  'POST /api/v1/me/tokens': {
    allowed: ['institution'],
    ok: 201,
    as: async () => signIn(test.app, world.users.a.username, world.users.a.password),
    make: async () => ({ url: '/api/v1/me/tokens', body: { name: '矩阵' } }),
  },
  'GET /api/v1/me/tokens': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/me/tokens' }) },
  // A token of institution A's user; nobody else's (404).
  'DELETE /api/v1/me/tokens/:id': {
    allowed: ROLES,
    ok: 404,
    okFor: { institution: 200 },
    away: { institution: 404 },
    make: async () => {
      const session = await signIn(test.app, world.users.a.username, world.users.a.password);
      return { url: `/api/v1/me/tokens/${(await session.post('/api/v1/me/tokens', { name: '撤销' })).body.id}` };
    },
  },
  'POST /api/v1/users': { allowed: ['admin'], ok: 201, make: async () => ({ url: '/api/v1/users', body: { name: '新用户', role: 'reviewer', regionCode: '511702' } }) },
  'GET /api/v1/users': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/users/:id/disable': { allowed: ['admin'], ok: 200, make: async () => ({ url: `/api/v1/users/${await freshUser()}/disable` }) },
  'POST /api/v1/users/:id/enable': { allowed: ['admin'], ok: 200, make: async () => ({ url: `/api/v1/users/${await freshUser()}/enable` }) },
  'POST /api/v1/users/:id/reset': { allowed: ['admin'], ok: 200, make: async () => ({ url: `/api/v1/users/${await freshUser()}/reset` }) },
  // The second admin opened it: the admin of the row confirms it (the same admin's confirmation is 409, bootstrap.test.ts).
  'POST /api/v1/users/:id/confirm': { allowed: ['admin'], ok: 200, make: async () => ({ url: `/api/v1/users/${await freshUser(world.admin2)}/confirm` }) },
  'PUT /api/v1/institutions/:id': { allowed: ['admin'], ok: 200, make: async () => ({ url: `/api/v1/institutions/${world.instB.id}`, body: { name: '星星雨康复学校' } }) },
  'POST /api/v1/institutions': {
    allowed: ['admin'],
    ok: 201,
    make: async () => ({ url: '/api/v1/institutions', body: { code: `M-${Math.random()}`, name: '机构', regionCode: '511702', services: ['training'], bankAccount: { bank: '银行', accountName: '机构', accountNumber: '123456789' } } }),
  },
  // Another admin asked for the change: the admin of the row confirms it.
  'POST /api/v1/institutions/:id/bank-account/confirm': {
    allowed: ['admin'],
    ok: 200,
    make: async () => {
      await world.admin2.put(`/api/v1/institutions/${world.instB.id}`, { bankAccount: { bank: '农行', accountName: '星星雨康复学校', accountNumber: `62284800${Math.floor(Math.random() * 1e9)}` } });
      return { url: `/api/v1/institutions/${world.instB.id}/bank-account/confirm`, body: {} };
    },
  },
  'GET /api/v1/institutions': { allowed: SCHEME, ok: 200, make: async () => ({ url: '/api/v1/institutions' }) },
  'GET /api/v1/institutions/:id': { allowed: SCHEME, ok: 200, away: { institution: 404 }, make: async () => ({ url: `/api/v1/institutions/${world.instA.id}` }) },
  'POST /api/v1/policies': {
    allowed: ['admin'],
    ok: 201,
    make: async () => ({ url: '/api/v1/policies', body: { name: 'p', effectiveFrom: `2090-01-${String(10 + Math.floor(Math.random() * 18))}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), rules: [{ service: 'training', annualLimit: '1' }] } }),
  },
  'GET /api/v1/policies': { allowed: SCHEME, ok: 200, make: async () => ({ url: '/api/v1/policies' }) },
  'GET /api/v1/policies/in-force': { allowed: SCHEME, ok: 200, make: async () => ({ url: '/api/v1/policies/in-force?regionCode=511702&date=2026-01-01' }) },
  // The world's admin is the bootstrap admin: its versions are approved at once, so there is nothing to approve (409).
  'POST /api/v1/policies/:id/approve': {
    allowed: ['admin'],
    ok: 409,
    make: async () => ({ url: `/api/v1/policies/${(await world.admin.post('/api/v1/policies', { name: 'p', effectiveFrom: `2091-01-${String(10 + Math.floor(Math.random() * 18))}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), rules: [{ service: 'training', annualLimit: '1' }] })).body.id}/approve` }),
  },
  'POST /api/v1/policies/:id/withdraw': {
    allowed: ['admin'],
    ok: 200,
    make: async () => ({
      url: `/api/v1/policies/${(await world.admin.post('/api/v1/policies', { name: 'p', effectiveFrom: `2092-01-${String(10 + Math.floor(Math.random() * 18))}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), rules: [{ service: 'training', annualLimit: '1' }] })).body.id}/withdraw`,
      body: { reason: '矩阵' },
    }),
  },
  'GET /api/v1/policies/:id': { allowed: SCHEME, ok: 200, make: async () => ({ url: '/api/v1/policies/00000000-0000-7000-8000-000000000001' }) },
  'POST /api/v1/children': {
    allowed: ['reviewer', 'institution', 'township', 'civil_affairs'],
    ok: 201,
    // A reviewer and civil affairs register only children of their own region; a township only of its own villages.
    away: { reviewer: 403, civil_affairs: 403, township: 403 },
    make: async (role) => ({ url: '/api/v1/children', body: { ...childBody(), ...(role === 'township' ? { villageCode: '511702001003' } : {}) } }),
  },
  'POST /api/v1/children/bulk': { allowed: ['reviewer', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/children/bulk', body: { rows: [childBody()] } }) },
  'GET /api/v1/children': { allowed: ['reviewer', 'finance', 'civil_affairs', 'institution', 'township'], ok: 200, make: async () => ({ url: '/api/v1/children' }) },
  'PUT /api/v1/children/:id/certificate': {
    allowed: ['reviewer'],
    ok: 200,
    away: { reviewer: 404 },
    make: async () => {
      const subject = await child();
      return { url: `/api/v1/children/${subject.id}/certificate`, body: { certificateNo: `${subject.idNumber}22`, issuedOn: '2026-01-01' } };
    },
  },
  'POST /api/v1/children/:id/certificate/revoke': {
    allowed: ['reviewer'],
    ok: 200,
    away: { reviewer: 404 },
    make: async () => ({ url: `/api/v1/children/${await certified()}/certificate/revoke`, body: { on: '2026-11-01', reason: '复查不符' } }),
  },
  // A fresh child each time: a closed record stays closed.
  'POST /api/v1/children/:id/close': {
    allowed: ['reviewer'],
    ok: 200,
    away: { reviewer: 404 },
    make: async () => ({ url: `/api/v1/children/${(await world.reviewer.post('/api/v1/children', childBody())).body.id}/close`, body: { reason: '身份证号登记错误' } }),
  },
  // A child institution A registered and still serves; the reviewer corrects any child of the region.
  'PATCH /api/v1/children/:id': {
    allowed: ['reviewer', 'institution'],
    ok: 200,
    away: scoped,
    make: async (role) => {
      const registrar = role === 'institution' ? world.a : world.reviewer;
      const made = (await registrar.post('/api/v1/children', childBody())).body.id as string;
      const filed = await registrar.post('/api/v1/applications', { childId: made, year: 2026, services: ['training'], institutionId: world.instA.id });
      await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
      return { url: `/api/v1/children/${made}`, body: { name: '更正' } };
    },
  },
  'GET /api/v1/children/:id': {
    allowed: ['reviewer', 'finance', 'civil_affairs', 'institution', 'township'],
    ok: 200,
    away: { ...scoped, township: 404 },
    make: async (role) => {
      if (role !== 'township') return { url: `/api/v1/children/${(await child()).id}` };
      const made = await protection.township.client.post('/api/v1/children', { ...childBody(), villageCode: '511702001003' });
      return { url: `/api/v1/children/${made.body.id}` };
    },
  },
  'GET /api/v1/children/:id/entitlements': {
    allowed: ['reviewer', 'institution'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/children/${(await child()).id}/entitlements?year=2026` }),
  },
  'POST /api/v1/applications': {
    allowed: ['reviewer', 'institution'],
    ok: 201,
    away: { reviewer: 404, institution: 404 },
    make: async () => ({ url: '/api/v1/applications', body: { childId: (await child()).id, year: 2026, services: ['device'] } }),
  },
  'GET /api/v1/applications': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/applications' }) },
  'GET /api/v1/applications/:id': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/applications/${await referral()}` }) },
  'POST /api/v1/applications/:id/approve': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/applications/${await application()}/approve`, body: {} }) },
  'POST /api/v1/applications/:id/reject': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/applications/${await application()}/reject`, body: { reason: 'x' } }) },
  'POST /api/v1/applications/:id/dropout': {
    allowed: ['reviewer', 'institution'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/applications/${(await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] })).application.id}/dropout`, body: { date: '2026-06-01' } }),
  },
  'POST /api/v1/claims': { allowed: ['institution'], ok: 201, away: { institution: 422 }, make: async () => ({ url: '/api/v1/claims', body: await claimBody() }) },
  'POST /api/v1/claims/bulk': { allowed: ['institution'], ok: 200, make: async () => ({ url: '/api/v1/claims/bulk', body: { rows: [await claimBody()] } }) },
  'POST /api/v1/claims/bulk/refused.xlsx': { allowed: ['institution'], ok: 200, make: async () => ({ url: '/api/v1/claims/bulk/refused.xlsx', body: { columns: ['结算申请号', '未受理原因'], rows: [['M-1', '不是可选的值之一']] } }) },
  'GET /api/v1/claims/template.xlsx': { allowed: ['reviewer', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/claims/template.xlsx' }) },
  'GET /api/v1/claims': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/claims' }) },
  'GET /api/v1/claims/count': { allowed: ['institution', 'reviewer', 'finance'], ok: 200, make: async () => ({ url: '/api/v1/claims/count?status=submitted' }) },
  'GET /api/v1/claims/export.xlsx': { allowed: ['institution', 'reviewer', 'finance'], ok: 200, make: async () => ({ url: '/api/v1/claims/export.xlsx?status=paid' }) },
  'GET /api/v1/claims/:id': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}` }) },
  'PUT /api/v1/claims/:id': {
    allowed: ['institution'],
    ok: 200,
    away: scoped,
    make: async () => {
      const body = await claimBody();
      const claim = await submit(world.a, body);
      await world.reviewer.post(`/api/v1/claims/${claim.id}/return`, { reason: 'x' });
      return { url: `/api/v1/claims/${claim.id}`, body };
    },
  },
  'POST /api/v1/claims/:id/attachments': {
    allowed: ['institution'],
    ok: 201,
    away: scoped,
    make: async () => ({ url: `/api/v1/claims/${await submitted()}/attachments?kind=invoice`, body: PDF, headers: { 'content-type': 'application/pdf' } }),
  },
  'GET /api/v1/claims/:id/attachments': { allowed: ['institution', 'reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/attachments` }) },
  'GET /api/v1/claims/:id/attachments/:attachmentId': { allowed: ['institution', 'reviewer'], ok: 200, away: scoped, make: async () => ({ url: await attached() }) },
  'DELETE /api/v1/claims/:id/attachments/:attachmentId': { allowed: ['institution'], ok: 200, away: scoped, make: async () => ({ url: await attached() }) },
  'POST /api/v1/claims/:id/approve': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/approve`, body: {} }) },
  // Out of the region, every claim is reported refused with NOT_FOUND in a 200 (bulk-approval.test.ts).
  'POST /api/v1/claims/approve': { allowed: ['reviewer'], ok: 200, make: async () => ({ url: '/api/v1/claims/approve', body: { claimIds: [await submitted()] } }) },
  'POST /api/v1/claims/approve/preview': { allowed: ['reviewer'], ok: 200, make: async () => ({ url: '/api/v1/claims/approve/preview', body: { claimIds: [await submitted()] } }) },
  'POST /api/v1/claims/:id/reject': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/reject`, body: { reason: 'x' } }) },
  'POST /api/v1/claims/:id/return': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/return`, body: { reason: 'x' } }) },
  'POST /api/v1/claims/:id/withdraw': { allowed: ['institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/withdraw`, body: {} }) },
  'POST /api/v1/settlements/preview': {
    allowed: ['reviewer', 'institution'],
    ok: 200,
    away: scoped,
    make: async () => {
      const { externalRef: _ref, reviewedBy: _by, ...body } = await claimBody();
      return { url: '/api/v1/settlements/preview', body };
    },
  },
  'POST /api/v1/batches': { allowed: ['reviewer'], ok: 201, make: async () => ({ url: '/api/v1/batches', body: {} }) },
  'GET /api/v1/batches': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/batches' }) },
  'GET /api/v1/batches/:id': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await issued()).id}` }) },
  'POST /api/v1/batches/:id/cancel': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await draft()).id}/cancel`, body: {} }) },
  // Built by the second reviewer, so that the first may issue it (security.md §2).
  'POST /api/v1/batches/:id/issue': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await draft(world.reviewer2)).id}/issue`, body: {} }) },
  'POST /api/v1/batches/:id/payment': {
    allowed: ['finance'],
    ok: 200,
    away: scoped,
    make: async () => {
      const batch = await issued();
      return { url: `/api/v1/batches/${batch.id}/payment`, body: { voucherNo: 'CZ', paidAt: '2026-11-22', amount: batch.total } };
    },
  },
  'GET /api/v1/batches/export.xlsx': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/batches/export.xlsx?status=paid' }) },
  'GET /api/v1/batches/:id/pdf': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await issued()).id}/pdf` }) },
  'GET /api/v1/batches/:id/xlsx': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await issued()).id}/xlsx` }) },
  'POST /api/v1/reconciliations': {
    allowed: ['reviewer', 'institution'],
    ok: 201,
    away: { reviewer: 404, institution: 404 },
    make: async () => {
      await submitted();
      return { url: '/api/v1/reconciliations', body: { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [] } };
    },
  },
  'GET /api/v1/reconciliations': { allowed: ['reviewer', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/reconciliations' }) },
  'GET /api/v1/reconciliations/:id': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}` }) },
  'GET /api/v1/reconciliations/:id/pdf': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}/pdf` }) },
  'GET /api/v1/reconciliations/:id/xlsx': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}/xlsx` }) },
  'GET /api/v1/stats': { allowed: ['reviewer', 'admin'], ok: 200, away: { reviewer: 404 }, make: async () => ({ url: '/api/v1/stats?year=2026&regionCode=511702' }) },
  'PUT /api/v1/regions/:regionCode/targets/:year': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/regions/511702/targets/2026', body: { childrenTarget: 300 } }) },
  'GET /api/v1/regions/:regionCode': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/regions/511702' }) },
  'GET /api/v1/regions/:regionCode/required-evidence': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/regions/511702/required-evidence' }) },
  'GET /api/v1/regions/:regionCode/settings': {
    allowed: ['admin', 'reviewer', 'finance', 'civil_affairs', 'township', 'department'],
    ok: 200,
    // The other township is of the same county: it reads the county's settings.
    away: { reviewer: 404, finance: 404, civil_affairs: 404, department: 404 },
    make: async () => ({ url: '/api/v1/regions/511702/settings' }),
  },
  'PUT /api/v1/regions/:regionCode/settings': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/regions/511702/settings', body: { supervisionPhone: '0818-2123456' } }) },
  'GET /api/v1/regions/:regionCode/budgets/:year': {
    allowed: ['admin', 'reviewer', 'finance', 'civil_affairs'],
    ok: 200,
    away: { reviewer: 404, finance: 404, civil_affairs: 404 },
    make: async () => ({ url: '/api/v1/regions/511702/budgets/2026' }),
  },
  'PUT /api/v1/regions/:regionCode/budgets/:year': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/regions/511702/budgets/2026', body: { allowanceCounty: '80000.00' } }) },
  'POST /api/v1/allowance/beneficiaries': {
    allowed: ['reviewer', 'civil_affairs'],
    ok: 201,
    away: { reviewer: 404, civil_affairs: 404 },
    make: async () => ({ url: '/api/v1/allowance/beneficiaries', body: await allowanceBody() }),
  },
  'GET /api/v1/allowance/beneficiaries': { allowed: ALLOWANCE_OFFICES, ok: 200, make: async () => ({ url: '/api/v1/allowance/beneficiaries' }) },
  'GET /api/v1/allowance/beneficiaries/:id': { allowed: ALLOWANCE_OFFICES, ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await pendingBeneficiary()}` }) },
  'POST /api/v1/allowance/beneficiaries/:id/approve': { allowed: ['civil_affairs'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await pendingBeneficiary()}/approve` }) },
  'POST /api/v1/allowance/beneficiaries/:id/reject': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await pendingBeneficiary()}/reject`, body: { reason: '材料不全' } }),
  },
  'PUT /api/v1/allowance/beneficiaries/:id/bank-account': {
    allowed: ['reviewer', 'civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await beneficiary()}/bank-account`, body: { bank: '农行', accountName: '张大山', accountNumber: '6228480000000000002' } }),
  },
  // The second civil affairs officer asked for the change: the row's user confirms it.
  'POST /api/v1/allowance/beneficiaries/:id/bank-account/confirm': {
    allowed: ['reviewer', 'civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => {
      const id = await beneficiary();
      await world.civilAffairs2.put(`/api/v1/allowance/beneficiaries/${id}/bank-account`, { bank: '农行', accountName: '张大山', accountNumber: '6228480000000000003' });
      return { url: `/api/v1/allowance/beneficiaries/${id}/bank-account/confirm` };
    },
  },
  'POST /api/v1/allowance/beneficiaries/:id/tier': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await beneficiary()}/tier`, body: { tier: 'nursing_supplement', fromMonth: '2022-06' } }),
  },
  'POST /api/v1/allowance/beneficiaries/:id/verify': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await beneficiary()}/verify`, body: { on: '2026-11-02' } }),
  },
  'POST /api/v1/allowance/beneficiaries/:id/hold': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await beneficiary()}/hold`, body: { reason: '核查' } }),
  },
  'POST /api/v1/allowance/beneficiaries/:id/release': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => {
      const id = await beneficiary();
      await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/hold`, { reason: '核查' });
      return { url: `/api/v1/allowance/beneficiaries/${id}/release` };
    },
  },
  'POST /api/v1/allowance/beneficiaries/:id/exit': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/beneficiaries/${await beneficiary()}/exit`, body: { reason: 'other', fromMonth: '2022-01' } }),
  },
  'POST /api/v1/allowance/rolls': {
    allowed: ['civil_affairs'],
    ok: 201,
    make: async () => {
      await beneficiary();
      return { url: '/api/v1/allowance/rolls', body: { month: nextRollMonth() } };
    },
  },
  'GET /api/v1/allowance/rolls': { allowed: ALLOWANCE_OFFICES, ok: 200, make: async () => ({ url: '/api/v1/allowance/rolls' }) },
  'GET /api/v1/allowance/rolls/:id': { allowed: ALLOWANCE_OFFICES, ok: 200, away: scoped, make: async (role) => ({ url: `/api/v1/allowance/rolls/${(await rollFor(role, draftRoll)).id}` }) },
  'POST /api/v1/allowance/rolls/:id/publish': { allowed: ['civil_affairs'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await draftRoll()).id}/publish`, body: { from: '2026-11-01' } }) },
  'POST /api/v1/allowance/rolls/:id/objections': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => {
      const roll = await draftRoll();
      return { url: `/api/v1/allowance/rolls/${roll.id}/objections`, body: { beneficiaryId: roll.beneficiaryId, reason: '群众反映已迁出' } };
    },
  },
  'POST /api/v1/allowance/rolls/:id/issue': { allowed: ['civil_affairs'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await publishedRoll()).id}/issue` }) },
  'POST /api/v1/allowance/rolls/:id/cancel': { allowed: ['civil_affairs'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await draftRoll()).id}/cancel` }) },
  'POST /api/v1/allowance/rolls/:id/results': {
    allowed: ['finance'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/rolls/${(await issuedRoll()).id}/results`, body: { results: [{ transferNo: 1, status: 'paid' }] } }),
  },
  'GET /api/v1/allowance/rolls/:id/notice.pdf': {
    allowed: ALLOWANCE_OFFICES,
    ok: 200,
    away: scoped,
    make: async (role) => ({ url: `/api/v1/allowance/rolls/${(await rollFor(role, publishedRoll)).id}/notice.pdf` }),
  },
  'GET /api/v1/allowance/rolls/:id/pdf': { allowed: ALLOWANCE_OFFICES, ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await issuedRoll()).id}/pdf` }) },
  'GET /api/v1/allowance/rolls/:id/bank.xlsx': { allowed: ['civil_affairs', 'finance'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await issuedRoll()).id}/bank.xlsx` }) },
  'GET /api/v1/allowance/rolls/:id/bank.csv': { allowed: ['civil_affairs', 'finance'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/rolls/${(await issuedRoll()).id}/bank.csv` }) },
  'GET /api/v1/allowance/overpayments': { allowed: ['civil_affairs', 'finance'], ok: 200, make: async () => ({ url: '/api/v1/allowance/overpayments' }) },
  'POST /api/v1/allowance/overpayments/:id/recoveries': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/overpayments/${await overpayment()}/recoveries`, body: { amount: '1.00', on: '2026-11-01', voucherNo: 'HK-1' } }),
  },
  'POST /api/v1/allowance/overpayments/:id/refunds': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => ({ url: `/api/v1/allowance/overpayments/${await refundDue()}/refunds`, body: { amount: '1.00', on: '2026-11-01', voucherNo: 'TK-1' } }),
  },
  'POST /api/v1/allowance/overpayments/:id/waive': { allowed: ['civil_affairs'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/allowance/overpayments/${await overpayment()}/waive`, body: { reason: '家庭困难' } }) },
  // The second civil affairs officer asked for the waiver: the row's user confirms it.
  'POST /api/v1/allowance/overpayments/:id/waive/confirm': {
    allowed: ['civil_affairs'],
    ok: 200,
    away: scoped,
    make: async () => {
      const id = await overpayment();
      await world.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason: '家庭困难' });
      return { url: `/api/v1/allowance/overpayments/${id}/waive/confirm` };
    },
  },
  'GET /api/v1/allowance/standards': { allowed: ['admin', 'reviewer', 'civil_affairs', 'finance'], ok: 200, make: async () => ({ url: '/api/v1/allowance/standards' }) },
  'POST /api/v1/allowance/standards': {
    allowed: ['admin'],
    ok: 201,
    make: async () => ({
      url: '/api/v1/allowance/standards',
      body: { effectiveFrom: `2090-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), careMonthly: '30.00', nursingSupplementMonthly: '10.00' },
    }),
  },
  'GET /api/v1/allowance/stats': {
    allowed: ['civil_affairs', 'finance', 'admin'],
    ok: 200,
    away: { civil_affairs: 404, finance: 404 },
    make: async () => ({ url: '/api/v1/allowance/stats?year=2026&regionCode=511702' }),
  },
  'GET /api/v1/calendar/:year': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/calendar/2025' }) },
  'PUT /api/v1/calendar/:year': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/calendar/2099', body: { holidays: ['2099-01-01'], workdays: [] } }) },
  // A snapshot of the embedded database; on PostgreSQL the admin is told to use pg_dump (409).
  'GET /api/v1/admin/backup': { allowed: ['admin'], ok: process.env.TEST_DB === 'postgres' ? 409 : 200, make: async () => ({ url: '/api/v1/admin/backup' }) },
  'GET /api/v1/admin/backups': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/admin/backups' }) },
  'GET /api/v1/audit': { allowed: ['auditor', 'admin', 'reviewer', 'civil_affairs'], ok: 200, make: async () => ({ url: '/api/v1/audit' }) },
  'GET /api/v1/audit/export.xlsx': { allowed: ['auditor'], ok: 200, make: async () => ({ url: '/api/v1/audit/export.xlsx?entityType=institution' }) },
  'GET /api/v1/audit/verify': { allowed: ['auditor'], ok: 200, make: async () => ({ url: '/api/v1/audit/verify' }) },
  'GET /api/v1/access-log': { allowed: ['auditor'], ok: 200, make: async () => ({ url: '/api/v1/access-log' }) },
  'GET /api/v1/access-log/export.xlsx': { allowed: ['auditor'], ok: 200, make: async () => ({ url: '/api/v1/access-log/export.xlsx?entityType=child' }) },
};
// The protection of children in difficulty: its rows beside the others (support/protectionMatrix.ts).
Object.assign(
  MATRIX,
  protectionRows(
    () => world,
    () => protection,
  ),
  visitRows(
    () => world,
    () => protection,
  ),
);

async function call(client: Client, method: string, target: Call) {
  let body = target.body as Record<string, unknown> | undefined;
  // What only the fresh caller knows: its password, a code of its new factor.
  const password = (client as Client & { password?: string }).password;
  if (body?.currentPassword === 'set-by-as' && password) body = { ...body, currentPassword: password };
  const secret = lastSecrets.get(client);
  if (body?.otp === 'set-by-as' && secret) body = { ...body, otp: totpCode(secret, test.clock.now().getTime() + 30_000) };
  return client.request(method as 'GET', target.url, body, target.headers);
}

describe('authorization matrix', () => {
  it('has a row for every API route, and no row without a route', () => {
    const apiRoutes = routes.filter((route) => route.url.startsWith('/api/')).map((route) => `${route.method} ${route.url}`);
    expect(new Set(apiRoutes)).toEqual(new Set(Object.keys(MATRIX)));
  });

  it('every route declares the roles of its row', () => {
    for (const route of routes.filter((candidate) => candidate.url.startsWith('/api/') && !MATRIX[`${candidate.method} ${candidate.url}`]?.public)) {
      const row = MATRIX[`${route.method} ${route.url}`]!;
      expect([...(route.roles ?? ROLES)].sort(), `${route.method} ${route.url}`).toEqual([...row.allowed].sort());
    }
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(route, async () => {
      const method = route.split(' ')[0]!;
      if (row.public) {
        const answered = await call(world.anonymous, method, await row.make(row.allowed[0]!));
        expect(answered.status, `no credential needed: ${JSON.stringify(answered.body)?.slice(0, 300)}`).toBe(row.ok);
        return;
      }
      const sample = await row.make(row.allowed[0]!);
      const anonymous = await call(world.anonymous, method, sample);
      expect([anonymous.status, anonymous.body?.error?.code], 'no token').toEqual([401, 'UNAUTHENTICATED']);
      for (const role of ROLES) {
        if (!row.allowed.includes(role)) {
          const refused = await call(home(role), method, sample);
          expect([refused.status, refused.body?.error?.code], `${role} may not`).toEqual([403, 'FORBIDDEN']);
          continue;
        }
        const expected = row.okFor?.[role] ?? row.ok;
        const own = await call(row.as ? await row.as(role) : home(role), method, await row.make(role));
        expect(own.status, `${role} in scope: ${JSON.stringify(own.body)?.slice(0, 300)}`).toBe(expected);
        const outsider = away(role);
        if (outsider && !row.as) {
          const response = await call(outsider, method, await row.make(role));
          expect(response.status, `${role} out of scope: ${JSON.stringify(response.body)?.slice(0, 300)}`).toBe(row.away?.[role] ?? expected);
        }
      }
    });
  }
});

