import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, createDatabase, freePort, RELIABILITY_ADMIN_TOKEN, ServiceProcess, verifyAudit } from './service.js';
import { buildWorld, type ReliabilityWorld } from './world.js';

// Two instances of the service on one PostgreSQL database, as a deployment runs them: they start
// together on an empty database (one bootstrap admin, no crash), and the rules that hold under
// concurrency within one instance hold across the two.

let database: Awaited<ReturnType<typeof createDatabase>>;
const instances: ServiceProcess[] = [];
let world: ReliabilityWorld;

beforeAll(async () => {
  database = await createDatabase(inject('postgresUrl'), 'scaleout');
  for (let index = 0; index < 2; index++) instances.push(new ServiceProcess(database.url, await freePort()));
});
afterAll(async () => {
  for (const instance of instances) await instance.stop();
  await database?.drop();
});

describe('two instances on one database', () => {
  it('start together on an empty database: both serve, one bootstrap admin exists', async () => {
    await Promise.all(instances.map((instance) => instance.start()));
    for (const instance of instances) expect((await api(instance.baseUrl, RELIABILITY_ADMIN_TOKEN).get('/api/v1/me')).status).toBe(200);
    const admins = await database.sql`select count(*)::int as n from users where role = 'admin' and bootstrap`;
    expect(admins[0]!.n).toBe(1);
    world = await buildWorld(instances[0]!.baseUrl, 2);
  });

  it('twelve concurrent approvals of one child spread over both instances total exactly 17,000.00', async () => {
    const child = world.children[0]!;
    const institution = world.institutions[child.institution]!.user;
    const claimIds: string[] = [];
    for (let month = 1; month <= 12; month++) {
      const period = `2025-${String(month).padStart(2, '0')}`;
      const submitted = await institution.post('/api/v1/claims', {
        externalRef: `SCALE-${Date.now()}-${month}`,
        childId: child.id,
        service: 'training',
        periodFrom: period,
        periodTo: period,
        grossCost: '1500.00',
        reviewedBy: '会计',
      });
      expect(submitted.status).toBe(201);
      claimIds.push(submitted.body.id);
    }
    const reviewerToken = world.tokens[1]!;
    const reviewers = instances.map((instance) => api(instance.baseUrl, reviewerToken));
    const responses = await Promise.all(claimIds.map((id, index) => reviewers[index % 2]!.post(`/api/v1/claims/${id}/approve`, {})));
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const total = responses.reduce((sum, response) => sum.plus(response.body.approvedAmount), new Decimal(0));
    expect(total.toFixed(2)).toBe('17000.00');
    const ledger = await database.sql`select sum(amount)::numeric(14,2)::text as total from entitlement_usage where child_id = ${child.id}`;
    expect(ledger[0]!.total).toBe('17000.00');
  });

  it('two batch runs at once on the two instances put each approved claim in exactly one batch', async () => {
    // More approved claims to batch: one device claim for every other child.
    for (const child of world.children.slice(1)) {
      const submitted = await world.institutions[child.institution]!.user.post('/api/v1/claims', {
        externalRef: `SCALE-D-${Date.now()}-${child.id.slice(-6)}`,
        childId: child.id,
        service: 'device',
        deviceKind: 'hearing_aid',
        serviceDate: '2025-06-01',
        grossCost: '3000.00',
        reviewedBy: '会计',
      });
      expect((await world.reviewer.post(`/api/v1/claims/${submitted.body.id}/approve`, {})).status).toBe(200);
    }
    const reviewerToken = world.tokens[1]!;
    const runs = await Promise.all(instances.map((instance) => api(instance.baseUrl, reviewerToken).post('/api/v1/batches', {})));
    expect(runs.map((run) => run.status)).toEqual([201, 201]);
    const lines = await database.sql`select claim_id, count(*)::int as n from batch_lines where not cancelled group by claim_id having count(*) > 1`;
    expect(lines).toEqual([]);
    const approved = await database.sql`select count(*)::int as n from claims where status = 'approved' and batch_id is null`;
    expect(approved[0]!.n).toBe(0);
    const inBatches = await database.sql`select count(*)::int as n from batch_lines where not cancelled`;
    const claimsApproved = await database.sql`select count(*)::int as n from claims where status in ('approved', 'batched', 'paid')`;
    expect(inBatches[0]!.n).toBe(claimsApproved[0]!.n);
  });

  it('both instances seal the audit trail, one at a time, into one chain: every row sealed once, within a minute, and verify-audit holds', async () => {
    // Each instance's sealer runs every 10 seconds; after that both have had their turns.
    const deadline = Date.now() + 60_000;
    let unsealed = -1;
    while (Date.now() < deadline) {
      unsealed = (await database.sql`select count(*)::int as n from audit_events a where not exists (select 1 from audit_seals s where s.audit_id = a.id)`)[0]!.n;
      if (unsealed === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(unsealed).toBe(0);
    const [counts] = await database.sql`select (select count(*) from audit_events)::int as events, (select count(*) from audit_seals)::int as seals, (select count(distinct audit_id) from audit_seals)::int as sealed`;
    expect(counts!.seals).toBe(counts!.events);
    expect(counts!.sealed).toBe(counts!.events);
    const verified = verifyAudit(database.url);
    expect(verified.code, verified.output).toBe(0);
  });
});
