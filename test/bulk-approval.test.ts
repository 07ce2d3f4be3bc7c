import { Decimal } from 'decimal.js';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submit, submitAndApprove, trainingClaim } from './support/claims.js';
import { tableCounts, type TestApp } from './support/testApp.js';
import { OTHER_REGION, referredChild, type World } from './support/world.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestWorld } from './support/lifecycle.js';

// Bulk approval (批量审核): POST /claims/approve approves each claim as a single approval would,
// one after another, and reports every claim in the order given.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await test.db.execute(query)) as any;
  return result.rows ?? result;
}

/** A request that must change no table (a preview). */
async function expectUnchanged<T>(send: () => Promise<T>): Promise<T> {
  const before = await tableCounts(test.db);
  const answer = await send();
  expect(await tableCounts(test.db)).toEqual(before);
  return answer;
}

const hearingChild = (options: Partial<Parameters<typeof referredChild>[1]> = {}) =>
  referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], year: 2026, ...options });

describe('bulk approval', () => {
  it('a mixed set: approvable (5,100.00 + 1,700.00), already approved, dropped out, another region’s, unknown → each as a single approval would answer', async () => {
    const first = await hearingChild();
    const approvable = await submit(world.a, trainingClaim(first.child.id, '2026-01', '2026-03', '5400.00'));
    const second = await hearingChild();
    const alsoApprovable = await submit(world.a, trainingClaim(second.child.id, '2026-02', '2026-02', '1700.00'));
    const already = await submitAndApprove(world.a, world.reviewer, trainingClaim(second.child.id, '2026-04', '2026-04', '1000.00'));
    const dropped = await hearingChild();
    const afterDropout = await submit(world.a, trainingClaim(dropped.child.id, '2026-05', '2026-07', '5100.00'));
    await world.a.post(`/api/v1/applications/${dropped.application.id}/dropout`, { date: '2026-05-20' });
    const elsewhere = await hearingChild({ reviewer: world.otherReviewer, regionCode: OTHER_REGION, institutionId: world.instC.id });
    const otherRegions = await submit(world.c, trainingClaim(elsewhere.child.id, '2026-01', '2026-01', '1000.00'));
    const unknown = '01a20000-0000-7000-8000-0000000000ff';

    const response = await world.reviewer.post('/api/v1/claims/approve', {
      claimIds: [approvable.id, already.id, afterDropout.id, otherRegions.id, unknown, alsoApprovable.id],
    });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ approved: 2, refused: 4, total: '6800.00' });
    const refusedWith = (code: string) => ({ code, message: expect.any(String), details: expect.any(Array) });
    expect(response.body.results).toEqual([
      { claimId: approvable.id, status: 'approved', approvedAmount: '5100.00', estimate: '5100.00', remainder: '5400.00', reasons: ['MONTHLY_LIMIT'] },
      { claimId: already.id, status: 'refused', error: refusedWith('INVALID_STATE') },
      { claimId: afterDropout.id, status: 'refused', error: refusedWith('AFTER_DROPOUT') },
      { claimId: otherRegions.id, status: 'refused', error: refusedWith('NOT_FOUND') },
      { claimId: unknown, status: 'refused', error: refusedWith('NOT_FOUND') },
      { claimId: alsoApprovable.id, status: 'approved', approvedAmount: '1700.00', estimate: '1700.00', remainder: '1700.00', reasons: [] },
    ]);
    // Each approval is a whole one: settlement, ledger, status and audit, as POST /claims/:id/approve writes them.
    const approved = await world.reviewer.get(`/api/v1/claims/${approvable.id}`);
    expect(approved.body).toMatchObject({ status: 'approved', approvedAmount: '5100.00', settlement: { reasons: ['MONTHLY_LIMIT'], approvedBy: world.users.reviewer.id } });
    expect(approved.body.history.map((entry: { action: string }) => entry.action)).toEqual(['submitted', 'approved']);
    // The refused ones are untouched.
    expect((await world.reviewer.get(`/api/v1/claims/${afterDropout.id}`)).body.status).toBe('submitted');
    expect((await world.otherReviewer.get(`/api/v1/claims/${otherRegions.id}`)).body.status).toBe('submitted');
  });

  it('the same claim twice in one request: approved once, then INVALID_STATE', async () => {
    const { child } = await hearingChild();
    const claim = await submit(world.a, trainingClaim(child.id, '2026-06', '2026-06', '1000.00'));
    const response = await world.reviewer.post('/api/v1/claims/approve', { claimIds: [claim.id, claim.id] });
    expect(response.body.summary).toEqual({ approved: 1, refused: 1, total: '1000.00' });
    expect(response.body.results[1].error.code).toBe('INVALID_STATE');
  });

  it('approvals go in the order given, each against what the ones before used: 11 × 1,500.00, then 500.00 under the 17,000.00 limit', async () => {
    const { child } = await hearingChild({ year: 2025 });
    const claims = [];
    for (let month = 1; month <= 12; month++) {
      const period = `2025-${String(month).padStart(2, '0')}`;
      claims.push(await submit(world.a, trainingClaim(child.id, period, period, '1500.00')));
    }
    // Given newest first: December's claim is approved first at 1,500.00 and January's last at 500.00.
    const response = await world.reviewer.post('/api/v1/claims/approve', { claimIds: claims.map((claim) => claim.id).reverse() });
    expect(response.body.summary).toEqual({ approved: 12, refused: 0, total: '17000.00' });
    expect(response.body.results.map((result: { approvedAmount: string }) => result.approvedAmount)).toEqual([...Array(11).fill('1500.00'), '500.00']);
    expect(response.body.results.at(-1).claimId).toBe(claims[0]!.id);
  });

  it.each([
    ['no ids', { claimIds: [] }],
    ['501 ids', { claimIds: Array.from({ length: 501 }, (_, index) => `01a20000-0000-7000-8000-${String(index).padStart(12, '0')}`) }],
    ['an id that is not one', { claimIds: ['nope'] }],
    ['no list', {}],
    ['an extra field', { claimIds: ['01a20000-0000-7000-8000-000000000001'], amount: '1' }],
  ])('%s → 400 VALIDATION_FAILED, nothing changes', async (_label, body) => {
    await expectRefusedUnchanged(test.db, () => world.reviewer.post('/api/v1/claims/approve', body), 400, 'VALIDATION_FAILED');
  });

  it('only reviewers approve in bulk, or preview it', async () => {
    for (const caller of [world.a, world.finance, world.admin]) {
      expect((await caller.post('/api/v1/claims/approve', { claimIds: ['01a20000-0000-7000-8000-000000000001'] })).status).toBe(403);
      expect((await caller.post('/api/v1/claims/approve/preview', { claimIds: ['01a20000-0000-7000-8000-000000000001'] })).status).toBe(403);
    }
  });

  it('the preview answers what the block would pay, in order (a claim an earlier one caps to 0.00 shows 0.00 and why), and keeps nothing', async () => {
    // TC-001-00036 of the issue: the child's limit is used by the first claims of the block, so the
    // last one, corrected and resubmitted, would be approved at 0.00.
    const { child } = await hearingChild({ year: 2025 });
    const claims = [];
    for (const [from, to, gross] of [['2025-01', '2025-06', '10200.00'], ['2025-07', '2025-10', '6800.00'], ['2025-11', '2025-11', '1700.00']] as const) {
      claims.push(await submit(world.a, trainingClaim(child.id, from, to, gross)));
    }
    const ids = claims.map((claim) => claim.id);
    const preview = await expectUnchanged(() => world.reviewer.post('/api/v1/claims/approve/preview', { claimIds: ids }));
    expect(preview.status).toBe(200);
    expect(preview.body.summary).toEqual({ approved: 3, refused: 0, total: '17000.00' });
    expect(preview.body.results.map((result: { approvedAmount: string; estimate: string; reasons: string[] }) => [result.approvedAmount, result.estimate, result.reasons])).toEqual([
      ['10200.00', '10200.00', []],
      ['6800.00', '6800.00', []],
      ['0.00', '1700.00', ['ANNUAL_LIMIT_REACHED']],
    ]);
    for (const id of ids) expect((await world.reviewer.get(`/api/v1/claims/${id}`)).body.status).toBe('submitted');
    // Leaving the last one out, the block approves exactly what the preview of the two said.
    const twoPreviewed = await world.reviewer.post('/api/v1/claims/approve/preview', { claimIds: ids.slice(0, 2) });
    const approved = await world.reviewer.post('/api/v1/claims/approve', { claimIds: ids.slice(0, 2) });
    expect(approved.body).toEqual(twoPreviewed.body);
    expect((await world.reviewer.get(`/api/v1/claims/${ids[2]}`)).body.status).toBe('submitted');
  });

  it('twelve concurrent bulk approvals over the same children never exceed a limit', async () => {
    // Three children, each with twelve one-month training claims of 1,500.00 (2025, delivered):
    // the annual limit 17,000.00 lets 11 × 1,500.00 + 500.00 through for each, whatever the order.
    const children = [];
    for (let index = 0; index < 3; index++) children.push((await hearingChild({ year: 2025 })).child);
    const claimIds: string[] = [];
    for (const child of children) {
      for (let month = 1; month <= 12; month++) {
        const period = `2025-${String(month).padStart(2, '0')}`;
        claimIds.push((await submit(world.a, trainingClaim(child.id, period, period, '1500.00'))).id);
      }
    }
    // Twelve requests, each naming every claim in its own shuffled order: each claim is approved
    // by exactly one of them, the others find it approved already.
    const shuffled = (ids: string[], seed: number) => ids.map((id, index) => ({ id, key: (index * 7919 + seed * 104729) % 1009 })).sort((a, b) => a.key - b.key).map((entry) => entry.id);
    const responses = await Promise.all(Array.from({ length: 12 }, (_, seed) => world.reviewer.post('/api/v1/claims/approve', { claimIds: shuffled(claimIds, seed) })));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const approvedCount = responses.reduce((sum, response) => sum + response.body.summary.approved, 0);
    expect(approvedCount).toBe(36);
    for (const response of responses) {
      for (const result of response.body.results.filter((item: { status: string }) => item.status === 'refused')) expect(result.error.code).toBe('INVALID_STATE');
    }
    for (const child of children) {
      const [ledger] = await rows<{ total: string; entries: string }>(sql`select sum(amount)::numeric(14,2)::text as total, count(*)::text as entries from entitlement_usage where child_id = ${child.id}`);
      expect(ledger).toEqual({ total: '17000.00', entries: '12' });
    }
    const total = responses.reduce((sum, response) => sum.plus(response.body.summary.total), new Decimal(0));
    expect(total.toFixed(2)).toBe('51000.00');
  });
});
