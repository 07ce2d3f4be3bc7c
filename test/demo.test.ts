import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCounty, type DemoAccount, type DemoAccounts } from '../src/demo/demoCounty.js';
import { ADMIN_TOKEN, client, createTestApp, signIn, type Client, type TestApp } from './support/testApp.js';
import { auditRows } from './support/protection.js';

// The demo county, seeded through the service's own API into a fresh database: every state a
// person should see on a first look is there, and every printed username and password signs in as
// its role.

let test: TestApp;
let accounts: DemoAccounts;
const as = (account: DemoAccount): Promise<Client> => signIn(test.app, account.username, account.password);
beforeAll(async () => {
  test = await createTestApp();
  accounts = await seedDemoCounty(test.db, new Date('2026-11-23T10:00:00+08:00'), { bootstrapToken: ADMIN_TOKEN });
}, 120_000);
afterAll(async () => test?.close());

describe('the demo county', () => {
  it('every printed username and password signs in as its role; the bootstrap token is closed; two admins', async () => {
    expect((await (await as(accounts.admin)).get('/api/v1/me')).body).toMatchObject({ role: 'admin', bootstrap: false, username: 'admin' });
    expect((await (await as(accounts.admin2)).get('/api/v1/me')).body).toMatchObject({ role: 'admin', username: 'admin2' });
    expect((await (await as(accounts.reviewer)).get('/api/v1/me')).body).toMatchObject({ role: 'reviewer', regionCode: '511702' });
    // Two people per desk: the second reviewer issues the batches, the second clerk the rolls (security.md §2).
    expect((await (await as(accounts.reviewer2)).get('/api/v1/me')).body).toMatchObject({ role: 'reviewer', regionCode: '511702', name: '钱复核' });
    expect((await (await as(accounts.civilAffairs2)).get('/api/v1/me')).body).toMatchObject({ role: 'civil_affairs', regionCode: '511702', name: '李民政' });
    expect((await (await as(accounts.auditor)).get('/api/v1/me')).body).toMatchObject({ role: 'auditor', regionCode: null });
    expect((await (await as(accounts.finance)).get('/api/v1/me')).body).toMatchObject({ role: 'finance', regionCode: '511702' });
    expect((await (await as(accounts.civilAffairs)).get('/api/v1/me')).body).toMatchObject({ role: 'civil_affairs', regionCode: '511702' });
    expect(accounts.institutions).toHaveLength(3);
    for (const institution of accounts.institutions) expect((await (await as(institution)).get('/api/v1/me')).body.role).toBe('institution');
    expect((await client(test.app, ADMIN_TOKEN).get('/api/v1/me')).status).toBe(401);
    // The second admin confirmed every account the first opened.
    const users = (await (await as(accounts.admin)).get('/api/v1/users?limit=500')).body.items as { pending: unknown }[];
    expect(users.every((user) => user.pending === null)).toBe(true);
  });

  it('holds sixty children of every category, applications and claims in every state, a paid and an issued batch, a reconciliation', async () => {
    const reviewer = await as(accounts.reviewer);
    // Sixty children with a disability category; the townships' children in difficulty have none.
    const children = ((await reviewer.get('/api/v1/children?limit=500')).body.items as { category: string | null; birthDate: string }[]).filter((child) => child.category !== null);
    expect(children).toHaveLength(60);
    expect(new Set(children.map((child) => child.category))).toEqual(new Set(['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism']));
    for (const status of ['pending', 'approved', 'rejected']) expect((await reviewer.get(`/api/v1/applications?status=${status}`)).body.items.length, status).toBeGreaterThan(0);
    expect((await reviewer.get('/api/v1/applications?overdue=true')).body.items.length).toBeGreaterThan(0);
    for (const status of ['submitted', 'approved', 'rejected', 'returned', 'withdrawn', 'batched', 'paid']) {
      expect((await reviewer.get(`/api/v1/claims?status=${status}&limit=500`)).body.items.length, status).toBeGreaterThan(0);
    }
    const approved = (await reviewer.get('/api/v1/claims?status=approved&limit=500')).body.items as { settlement: { reasons: string[] } }[];
    expect(approved.some((claim) => claim.settlement.reasons.includes('ADJUSTED_BY_REVIEWER'))).toBe(true);
    const queue = (await reviewer.get('/api/v1/claims?status=submitted&limit=500')).body.items as { overdue: boolean }[];
    expect(new Set(queue.map((claim) => claim.overdue))).toEqual(new Set([true, false]));
    const batches = (await (await as(accounts.finance)).get('/api/v1/batches')).body.items as { status: string; builtBy: { name: string }; issuedBy: { name: string } }[];
    expect(batches.map((batch) => batch.status).sort()).toEqual(['issued', 'paid']);
    for (const batch of batches) expect([batch.builtBy.name, batch.issuedBy.name]).toEqual(['王审核', '钱复核']);
    const audit = await (await as(accounts.auditor)).get('/api/v1/audit?action=reconciliation.created');
    expect(audit.body.items).toHaveLength(1);
  });

  it('runs the care allowance: rolls settled, waiting for the bank and under notice; holds of every kind a clerk meets; an overpayment partly recovered', async () => {
    const civilAffairs = await as(accounts.civilAffairs);
    const rolls = (await civilAffairs.get('/api/v1/allowance/rolls')).body.items as { status: string; builtBy: { name: string }; issuedBy: { name: string } | null }[];
    expect(rolls.map((roll) => roll.status).sort()).toEqual(['issued', 'published', 'settled', 'settled']);
    // Built by the first clerk, issued by the second.
    for (const roll of rolls) expect([roll.builtBy.name, roll.issuedBy?.name ?? null]).toEqual(['钱民政', roll.status === 'published' ? null : '李民政']);
    const beneficiaries = (await civilAffairs.get('/api/v1/allowance/beneficiaries?limit=500')).body.items as {
      status: string;
      holds: { reason: string }[];
      pendingBankAccount: { requestedBy: { name: string } } | null;
    }[];
    // One family's new account waits for civil affairs to confirm what the reviewer entered.
    expect(beneficiaries.flatMap((beneficiary) => (beneficiary.pendingBankAccount ? [beneficiary.pendingBankAccount.requestedBy.name] : []))).toEqual(['王审核']);
    expect(beneficiaries).toHaveLength(40);
    expect(new Set(beneficiaries.map((beneficiary) => beneficiary.status))).toEqual(new Set(['active', 'exited']));
    expect(new Set(beneficiaries.flatMap((beneficiary) => beneficiary.holds.map((hold) => hold.reason)))).toEqual(new Set(['manual', 'objection']));
    const overpayments = (await civilAffairs.get('/api/v1/allowance/overpayments')).body.items as { status: string }[];
    expect(overpayments.map((overpayment) => overpayment.status)).toEqual(['partially_recovered']);
    const stats = await civilAffairs.get(`/api/v1/allowance/stats?year=${new Date().getFullYear()}`);
    expect(stats.body.funds.county.budget).toBe('20000.00');
  });

  it('runs the protection of children in difficulty in two townships of 通川区: cases in every state, a notice, reviews waiting, last quarter’s updates (one late); every new account signs in', async () => {
    const civilAffairs = await as(accounts.civilAffairs);
    const cases = (await civilAffairs.get('/api/v1/protection/cases?limit=500')).body.items as { status: string; townshipName: string; overdue: boolean; holds: { reason: string }[]; pendingBankAccount: unknown }[];
    expect(new Set(cases.map((item) => item.status))).toEqual(new Set(['received', 'notice', 'returned_to_township', 'county_review', 'recognised', 'ended', 'refused', 'withdrawn', 'exited']));
    expect(new Set(cases.map((item) => item.townshipName))).toEqual(new Set(['东城街道', '罗江镇']));
    expect(new Set(cases.filter((item) => ['received', 'county_review'].includes(item.status)).map((item) => item.overdue))).toEqual(new Set([true, false]));
    expect(cases.some((item) => item.holds.some((hold) => hold.reason === 'manual'))).toBe(true);
    expect(cases.some((item) => item.pendingBankAccount)).toBe(true);
    expect((await civilAffairs.get('/api/v1/protection/notices?status=open')).body.items).toHaveLength(1);
    const [dongcheng, luojiang] = accounts.protection.townships;
    expect((await (await as(dongcheng!)).get('/api/v1/me')).body).toMatchObject({ role: 'township', townshipCode: '511702001' });
    expect((await (await as(luojiang!)).get('/api/v1/me')).body).toMatchObject({ role: 'township', townshipCode: '511702102' });
    for (const department of accounts.protection.departments) expect((await (await as(department)).get('/api/v1/me')).body.role).toBe('department');
    const health = accounts.protection.departments.find((department) => department.department.includes('health'))!;
    expect(((await (await as(health)).get('/api/v1/protection/cases?pending=true')).body.items as unknown[]).length).toBe(1);
    const stats = (await civilAffairs.get(`/api/v1/protection/stats?year=${new Date('2026-11-23').getFullYear()}`)).body;
    expect(stats.inCare.total).toBeGreaterThan(5);
    expect(await auditRows(test.db, { action: 'quarterly_update.submitted' })).toHaveLength(2);
    // Two civil affairs officers work with four eyes: one asked for an account the other confirmed,
    // and a case one received on a township's behalf the other recognised.
    const [confirmed] = await auditRows(test.db, { entityType: 'case', action: 'bank_account.confirmed' });
    const requested = (await auditRows(test.db, { entityType: 'case', entityId: confirmed!.entityId, action: 'bank_account.change_requested' })).at(-1)!;
    expect(confirmed!.data.requestedByUserId).toBe(requested.actorId);
    expect(confirmed!.actorId).not.toBe(requested.actorId);
    const received = await auditRows(test.db, { action: 'case.received' });
    const byCivilAffairs = received.filter((row) => row.actorRole === 'civil_affairs');
    expect(byCivilAffairs).toHaveLength(1);
    const recognisedBy = (await auditRows(test.db, { entityId: byCivilAffairs[0]!.entityId, action: 'case.recognised' }))[0]!;
    expect(recognisedBy.actorRole).toBe('civil_affairs');
    expect(recognisedBy.actorId).not.toBe(byCivilAffairs[0]!.actorId);
  });
});
