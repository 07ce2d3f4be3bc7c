import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submit, trainingClaim } from './support/claims.js';
import { type TestApp } from './support/testApp.js';
import { referredChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

// Concurrent requests through app.inject. On PostgreSQL (project "postgres") they run as truly
// concurrent transactions on a pool of 20 connections; on PGlite they interleave at each query.
let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const months = Array.from({ length: 12 }, (_, index) => `2025-${String(index + 1).padStart(2, '0')}`);

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await test.db.execute(query)) as any;
  return result.rows ?? result;
}

describe('concurrent approvals', () => {
  it('twelve approvals at once for one child never exceed the annual limit', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025 });
    const claims = [];
    for (const month of months) claims.push(await submit(world.a, trainingClaim(child.id, month, month, '1500.00')));
    expect(claims.every((claim) => claim.estimate.subsidy === '1500.00')).toBe(true);

    const responses = await Promise.all(claims.map((claim) => world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {})));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const amounts = responses.map((response) => response.body.approvedAmount as string).sort();
    // 11 × 1500.00 and what the limit leaves for the last one, whichever that is.
    expect(amounts).toEqual(['1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '1500.00', '500.00'].sort());
    const [ledger] = await rows<{ total: string; entries: string }>(sql`select sum(amount)::numeric(14,2)::text as total, count(*)::text as entries from entitlement_usage where child_id = ${child.id}`);
    expect(ledger).toEqual({ total: '17000.00', entries: '12' });
    const [claimTotal] = await rows<{ total: string }>(sql`select sum(approved_amount)::numeric(14,2)::text as total from claims where child_id = ${child.id}`);
    expect(claimTotal!.total).toBe('17000.00');
  });

  it('approving one claim twice at once: one 200, the other 409 INVALID_STATE, one ledger entry', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025 });
    const claim = await submit(world.a, trainingClaim(child.id, '2025-03', '2025-04', '3000.00'));
    const responses = await Promise.all([1, 2, 3, 4].map(() => world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {})));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409, 409, 409]);
    const [ledger] = await rows<{ entries: string }>(sql`select count(*)::text as entries from entitlement_usage where claim_id = ${claim.id}`);
    expect(ledger!.entries).toBe('1');
  });
});

describe('concurrent submissions', () => {
  it('two institutions claiming the same month at once: exactly one is accepted', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025 });
    const filed = await world.reviewer.post('/api/v1/applications', { childId: child.id, year: 2025, services: ['training'], institutionId: world.instB.id });
    await world.reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
    const attempts = [];
    for (let round = 0; round < 4; round++) {
      attempts.push(world.a.post('/api/v1/claims', trainingClaim(child.id, '2025-06', '2025-07', '1000')));
      attempts.push(world.b.post('/api/v1/claims', trainingClaim(child.id, '2025-07', '2025-08', '1000')));
    }
    const responses = await Promise.all(attempts);
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    for (const response of responses.filter((r) => r.status !== 201)) expect(response.body.error.code).toBe('DUPLICATE_SERVICE_PERIOD');
    const [held] = await rows<{ n: string }>(sql`select count(*)::text as n from claim_months where child_id = ${child.id} and month = '2025-07'`);
    expect(held!.n).toBe('1');
  });

  it('the same externalRef sent several times at once: one claim, every answer names it', async () => {
    const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2025 });
    // Several rounds, since a race shows only now and then.
    for (const month of ['2025-09', '2025-10', '2025-11', '2025-12']) {
      const body = trainingClaim(child.id, month, month, '1000');
      const responses = await Promise.all([1, 2, 3, 4, 5].map(() => world.a.post('/api/v1/claims', body)));
      expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 201]);
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    }
  });
});
