import type { Role } from '../../src/domain/vocabulary.js';
import { caseBody, expectOk as ok } from './protection.js';
import { idNumber } from './testApp.js';
import type { ProtectionActors } from './protectionMatrix.js';
import type { World } from './world.js';

// The authorization matrix's rows for visits and mandatory reports (protection.md §9, §11): each
// with a fresh recognised case or report of the township 511702001; out of scope are the other
// township of the county (511702102) and the civil affairs office of region 511781.

interface Row {
  allowed: Role[];
  ok: number;
  away?: Partial<Record<Role, number>>;
  make: (role: Role) => Promise<{ url: string; body?: unknown }>;
}

const TOWNSHIP_AND_COUNTY: Role[] = ['township', 'civil_affairs'];
const NOT_FOUND_AWAY: Partial<Record<Role, number>> = { township: 404, civil_affairs: 404 };
const allOk = { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'ok' };

export function visitRows(theWorld: () => World, actors: () => ProtectionActors): Record<string, Row> {
  const township = () => actors().township.client;
  const child = async () =>
    (await ok(township().post('/api/v1/children', { idNumber: idNumber('511702', '2015-05-05'), name: '走访儿童', regionCode: '511702', villageCode: '511702001003', guardian: { name: '某', relation: 'mother', phone: '13800000000' } }), 'child'))
      .id as string;
  const recognised = async () => {
    const childId = await child();
    const received = await ok(township().post('/api/v1/protection/cases', caseBody(childId)), 'receive');
    await ok(township().post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    await ok(theWorld().civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
    return { caseId: received.id as string, childId };
  };
  const report = async () => (await ok(township().post('/api/v1/protection/reports', { childId: await child(), concerns: ['safety'] }), 'report')).id as string;

  return {
    'POST /api/v1/protection/visits': {
      allowed: ['township'],
      ok: 201,
      away: NOT_FOUND_AWAY,
      make: async () => ({ url: '/api/v1/protection/visits', body: { caseId: (await recognised()).caseId, visitedOn: '2026-11-20', visitor: '王芳', checks: allOk } }),
    },
    'GET /api/v1/protection/visits': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/visits' }) },
    'POST /api/v1/protection/reports': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 201,
      away: NOT_FOUND_AWAY,
      make: async () => ({ url: '/api/v1/protection/reports', body: { childId: await child(), concerns: ['guardianship'] } }),
    },
    'GET /api/v1/protection/reports': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/reports?status=open' }) },
    'GET /api/v1/protection/reports/counts': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/reports/counts' }) },
    'GET /api/v1/protection/reports/:id': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/reports/${await report()}` }) },
    'POST /api/v1/protection/reports/:id/police': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 200,
      away: NOT_FOUND_AWAY,
      make: async () => ({ url: `/api/v1/protection/reports/${await report()}/police`, body: { at: '2026-11-22T09:30:00+08:00' } }),
    },
    'POST /api/v1/protection/reports/:id/acknowledge': {
      allowed: ['civil_affairs'],
      ok: 200,
      away: { civil_affairs: 404 },
      make: async () => ({ url: `/api/v1/protection/reports/${await report()}/acknowledge`, body: { actionTaken: '已报派出所', policeNotified: true } }),
    },
  };
}
