import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { submitAndApprove, trainingClaim } from './support/claims.js';
import { type TestApp } from './support/testApp.js';
import { referredChild, type World } from './support/world.js';
import { withTestWorld } from './support/lifecycle.js';

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

async function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await test.db.execute(query)) as any;
  return result.rows ?? result;
}

describe('concurrent batch runs', () => {
  it('never put a claim in two batches, and together take every claim once', async () => {
    const claimIds: string[] = [];
    for (const [institution, user] of [[world.instA, world.a], [world.instB, world.b]] as const) {
      for (let childIndex = 0; childIndex < 3; childIndex++) {
        const { child } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'], institutionId: institution.id });
        for (const month of ['2026-01', '2026-02', '2026-03', '2026-04']) {
          claimIds.push((await submitAndApprove(user, world.reviewer, trainingClaim(child.id, month, month, '1000'))).id);
        }
      }
    }
    const runs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => world.reviewer.post('/api/v1/batches', {})));
    expect(runs.every((run) => run.status === 201)).toBe(true);
    const made = runs.flatMap((run) => run.body.batches as { id: string; claimCount: number; total: string }[]);
    expect(made.reduce((sum, batch) => sum + batch.claimCount, 0)).toBe(claimIds.length);

    const doubles = await rows<{ claim_id: string }>(sql`select claim_id from batch_lines where not cancelled group by claim_id having count(*) > 1`);
    expect(doubles).toEqual([]);
    const mismatched = await rows<{ id: string }>(sql`
      select c.id from claims c left join batch_lines l on l.claim_id = c.id and not l.cancelled
      where c.status = 'approved' and (c.batch_id is distinct from l.batch_id)`);
    expect(mismatched).toEqual([]);
    const totals = await rows<{ id: string }>(sql`
      select b.id from batches b join batch_lines l on l.batch_id = b.id
      group by b.id, b.total, b.claim_count having b.total <> sum(l.approved_amount) or b.claim_count <> count(*)`);
    expect(totals).toEqual([]);
  });
});
