import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/domain/vocabulary.js';
import { submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { createTestApp, type Client, type TestApp } from './support/testApp.js';
import { childBody, createWorld, referredChild, type World } from './support/world.js';

// Every route × every role × in scope / out of scope → the status api.md prescribes: 401 without a
// token, 403 for a role that may never do it (before any lookup), 404 out of scope, the success
// status in scope. A route added without a row here fails the first test.

const routes: { method: string; url: string; roles: readonly string[] | undefined }[] = [];
let test: TestApp;
let world: World;
beforeAll(async () => {
  test = await createTestApp({ onRoute: (route) => routes.push(route) });
  world = await createWorld(test);
});
afterAll(async () => test?.close());

const ROLES: Role[] = ['admin', 'reviewer', 'finance', 'institution'];
interface Call {
  url: string;
  body?: unknown;
}
interface Row {
  allowed: Role[];
  ok: number;
  /** What an allowed role's actor outside the scope gets (reviewer and finance of 511781, institution B); default ok. */
  away?: Partial<Record<Role, number>>;
  make: (role: Role) => Promise<Call>;
}

const home = (role: Role): Client => ({ admin: world.admin, reviewer: world.reviewer, finance: world.finance, institution: world.a })[role];
const away = (role: Role): Client | null => ({ admin: null, reviewer: world.otherReviewer, finance: world.otherFinance, institution: world.b })[role];
const scoped = { reviewer: 404, finance: 404, institution: 404 };

// Fresh resources of region 511702, institution A.
const child = () => referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training', 'device'] }).then((result) => result.child);
const application = async () => (await world.reviewer.post('/api/v1/applications', { childId: (await child()).id, year: 2026, services: ['training'], institutionId: world.instA.id })).body.id as string;
const claimBody = async () => trainingClaim((await child()).id, '2026-01', '2026-01', '1000');
const submitted = async () => (await submit(world.a, await claimBody())).id;
const approved = async () => (await submitAndApprove(world.a, world.reviewer, await claimBody())).id;
const draft = async () => {
  await approved();
  return (await world.reviewer.post('/api/v1/batches', { institutionId: world.instA.id })).body.batches[0] as { id: string; total: string };
};
const issued = async () => {
  const batch = await draft();
  await world.reviewer.post(`/api/v1/batches/${batch.id}/issue`, {});
  return batch;
};
// A reconciliation a reviewer ran: the institution it concerns and the region's reviewers see it.
const reconciliation = async () => {
  await submitted();
  return (await world.reviewer.post('/api/v1/reconciliations', { institutionId: world.instA.id, from: '2026-01', to: '2026-12', lines: [] })).body.id as string;
};
// An approved referral to institution A: A sees it; a pending one that only names A would not show.
const referral = async () => (await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] })).application.id;

const MATRIX: Record<string, Row> = {
  'GET /api/v1/me': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/me' }) },
  'POST /api/v1/users': { allowed: ['admin'], ok: 201, make: async () => ({ url: '/api/v1/users', body: { name: '新用户', role: 'reviewer', regionCode: '511702' } }) },
  'GET /api/v1/users': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/users' }) },
  'POST /api/v1/institutions': {
    allowed: ['admin'],
    ok: 201,
    make: async () => ({ url: '/api/v1/institutions', body: { code: `M-${Math.random()}`, name: '机构', regionCode: '511702', services: ['training'], bankAccount: { bank: '银行', accountName: '机构', accountNumber: '123456789' } } }),
  },
  'GET /api/v1/institutions': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/institutions' }) },
  'GET /api/v1/institutions/:id': { allowed: ROLES, ok: 200, away: { institution: 404 }, make: async () => ({ url: `/api/v1/institutions/${world.instA.id}` }) },
  'POST /api/v1/policies': {
    allowed: ['admin'],
    ok: 201,
    make: async () => ({ url: '/api/v1/policies', body: { name: 'p', effectiveFrom: `2090-01-${String(10 + Math.floor(Math.random() * 18))}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), rules: [{ service: 'training', annualLimit: '1' }] } }),
  },
  'GET /api/v1/policies': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/policies' }) },
  'GET /api/v1/policies/in-force': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/policies/in-force?regionCode=511702&date=2026-01-01' }) },
  'GET /api/v1/policies/:id': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/policies/00000000-0000-7000-8000-000000000001' }) },
  'POST /api/v1/children': {
    allowed: ['reviewer', 'institution'],
    ok: 201,
    away: { reviewer: 403 }, // a reviewer registers only children of their own region
    make: async () => ({ url: '/api/v1/children', body: childBody() }),
  },
  'POST /api/v1/children/bulk': { allowed: ['reviewer', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/children/bulk', body: { rows: [childBody()] } }) },
  'GET /api/v1/children': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/children' }) },
  'GET /api/v1/children/:id': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/children/${(await child()).id}` }) },
  'GET /api/v1/children/:id/entitlements': {
    allowed: ['reviewer', 'finance', 'institution'],
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
  'GET /api/v1/claims/template.xlsx': { allowed: ['reviewer', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/claims/template.xlsx' }) },
  'GET /api/v1/claims': { allowed: ['reviewer', 'finance', 'institution'], ok: 200, make: async () => ({ url: '/api/v1/claims' }) },
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
  'POST /api/v1/claims/:id/approve': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/claims/${await submitted()}/approve`, body: {} }) },
  // Out of the region, every claim is reported refused with NOT_FOUND in a 200 (bulk-approval.test.ts).
  'POST /api/v1/claims/approve': { allowed: ['reviewer'], ok: 200, make: async () => ({ url: '/api/v1/claims/approve', body: { claimIds: [await submitted()] } }) },
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
  'POST /api/v1/batches/:id/issue': { allowed: ['reviewer'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/batches/${(await draft()).id}/issue`, body: {} }) },
  'POST /api/v1/batches/:id/payment': {
    allowed: ['finance'],
    ok: 200,
    away: scoped,
    make: async () => {
      const batch = await issued();
      return { url: `/api/v1/batches/${batch.id}/payment`, body: { voucherNo: 'CZ', paidAt: '2026-11-22', amount: batch.total } };
    },
  },
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
  'GET /api/v1/reconciliations/:id': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}` }) },
  'GET /api/v1/reconciliations/:id/pdf': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}/pdf` }) },
  'GET /api/v1/reconciliations/:id/xlsx': { allowed: ['reviewer', 'institution'], ok: 200, away: scoped, make: async () => ({ url: `/api/v1/reconciliations/${await reconciliation()}/xlsx` }) },
  'GET /api/v1/stats': { allowed: ['reviewer', 'admin'], ok: 200, away: { reviewer: 404 }, make: async () => ({ url: '/api/v1/stats?year=2026&regionCode=511702' }) },
  'PUT /api/v1/regions/:regionCode/targets/:year': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/regions/511702/targets/2026', body: { childrenTarget: 300 } }) },
  'GET /api/v1/regions/:regionCode/settings': {
    allowed: ['admin', 'reviewer', 'finance'],
    ok: 200,
    away: { reviewer: 404, finance: 404 },
    make: async () => ({ url: '/api/v1/regions/511702/settings' }),
  },
  'PUT /api/v1/regions/:regionCode/settings': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/regions/511702/settings', body: { supervisionPhone: '0818-2123456' } }) },
  'GET /api/v1/calendar/:year': { allowed: ROLES, ok: 200, make: async () => ({ url: '/api/v1/calendar/2025' }) },
  'PUT /api/v1/calendar/:year': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/calendar/2099', body: { holidays: ['2099-01-01'], workdays: [] } }) },
  // A snapshot of the embedded database; on PostgreSQL the admin is told to use pg_dump (409).
  'GET /api/v1/admin/backup': { allowed: ['admin'], ok: process.env.TEST_DB === 'postgres' ? 409 : 200, make: async () => ({ url: '/api/v1/admin/backup' }) },
  'GET /api/v1/audit': { allowed: ['reviewer', 'admin'], ok: 200, make: async () => ({ url: '/api/v1/audit' }) },
};

async function call(client: Client, method: string, target: Call) {
  return client.request(method as 'GET', target.url, target.body);
}

describe('authorization matrix', () => {
  it('has a row for every API route, and no row without a route', () => {
    const apiRoutes = routes.filter((route) => route.url.startsWith('/api/')).map((route) => `${route.method} ${route.url}`);
    expect(new Set(apiRoutes)).toEqual(new Set(Object.keys(MATRIX)));
  });

  it('every route declares the roles of its row', () => {
    for (const route of routes.filter((candidate) => candidate.url.startsWith('/api/'))) {
      const row = MATRIX[`${route.method} ${route.url}`]!;
      expect([...(route.roles ?? ROLES)].sort(), `${route.method} ${route.url}`).toEqual([...row.allowed].sort());
    }
  });

  for (const [route, row] of Object.entries(MATRIX)) {
    it(route, async () => {
      const method = route.split(' ')[0]!;
      const sample = await row.make(row.allowed[0]!);
      const anonymous = await call(world.anonymous, method, sample);
      expect([anonymous.status, anonymous.body?.error?.code], 'no token').toEqual([401, 'UNAUTHENTICATED']);
      for (const role of ROLES) {
        if (!row.allowed.includes(role)) {
          const refused = await call(home(role), method, sample);
          expect([refused.status, refused.body?.error?.code], `${role} may not`).toEqual([403, 'FORBIDDEN']);
          continue;
        }
        const own = await call(home(role), method, await row.make(role));
        expect(own.status, `${role} in scope: ${JSON.stringify(own.body)?.slice(0, 300)}`).toBe(row.ok);
        const outsider = away(role);
        if (outsider) {
          const response = await call(outsider, method, await row.make(role));
          expect(response.status, `${role} out of scope: ${JSON.stringify(response.body)?.slice(0, 300)}`).toBe(row.away?.[role] ?? row.ok);
        }
      }
    });
  }
});

