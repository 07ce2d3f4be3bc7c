import postgres from 'postgres';
import { newId } from '../src/db/ids.js';
import { api, freePort, RELIABILITY_ADMIN_TOKEN, ServiceProcess, serviceCipher, signUp } from '../test/reliability/service.js';
import { withConcurrency } from './lib.js';
import { seedReferredChildren } from './seed.js';

// Submitting and approving claims over HTTP against the same statements sent straight through
// postgres.js, at the same concurrency, on the same database server.

const CONCURRENCY = 50;
const DEFAULT_POLICY_ID = '00000000-0000-7000-8000-000000000001';

export interface HttpBench {
  /** The service's process id, for measuring its CPU. */
  servicePid: number | undefined;
  /**
   * Refreshes the statistics of the tables the runs write, outside any timed run. An ANALYZE also
   * invalidates every connection's cached plans of statements on those tables, so the baseline's
   * connections and the service's plan from the same statistics. Without it, a connection that
   * prepared its statements while `claims` was empty and never analysed could keep a generic plan
   * that walks the institution's index and filters on the reference (measured: 0.92 ms a lookup
   * against 0.015 ms, growing with every run) until autovacuum happened to analyse the table.
   */
  analyze(): Promise<void>;
  submitRun(count: number): Promise<number>;
  submitBaselineRun(count: number): Promise<number>;
  approveRun(count: number): Promise<number>;
  approveBaselineRun(count: number): Promise<number>;
  close(): Promise<void>;
}

/** `runs` runs of `claimsPerRun` claims for each side, after one warm-up run of `warmUpClaims` for each. */
export async function prepareHttpBench(databaseUrl: string, claimsPerRun: number, runs: number, warmUpClaims: number): Promise<HttpBench> {
  const service = new ServiceProcess(databaseUrl, await freePort());
  await service.start();
  const admin = api(service.baseUrl, RELIABILITY_ADMIN_TOKEN);
  const institution = (await admin.post('/api/v1/institutions', {
    code: `BENCH-${Date.now()}`, name: '基准测试机构', regionCode: '511702', services: ['training', 'device'],
    bankAccount: { bank: '中国农业银行', accountName: '基准测试机构', accountNumber: '622848000000001' },
  })).body as { id: string };
  // The reviewer works in a session, the institution's system with an API token (security.md §1).
  const reviewerUser = await signUp(service.baseUrl, admin, { name: '审核', role: 'reviewer', regionCode: '511702' });
  const institutionUser = await signUp(service.baseUrl, admin, { name: '会计', role: 'institution', institutionId: institution.id });
  const reviewer = reviewerUser.api;
  const clerk = institutionUser.api;
  const sql = postgres(databaseUrl, { max: 10, onnotice: () => {} });
  const children = await seedReferredChildren(sql, serviceCipher(databaseUrl), (claimsPerRun * runs + warmUpClaims) * 2, institution.id, reviewerUser.id);
  let nextChild = 0;
  const submittedOverHttp: string[] = [];
  const submittedDirectly: string[] = [];

  return {
    servicePid: service.pid,

    async analyze() {
      await sql`analyze claims, claim_months, settlements, entitlement_usage, audit_events, children, applications`;
    },

    async submitRun(count) {
      const batch = children.slice(nextChild, (nextChild += count));
      const started = performance.now();
      await withConcurrency(count, CONCURRENCY, async (index) => {
        const response = await clerk.post('/api/v1/claims', { externalRef: `H-${batch[index]}`, childId: batch[index], service: 'training', periodFrom: '2025-03', periodTo: '2025-03', grossCost: '1800.00', reviewedBy: '会计' });
        if (response.status !== 201) throw new Error(`submission failed: ${response.status} ${JSON.stringify(response.body)}`);
        submittedOverHttp.push(response.body.id);
      });
      return count / ((performance.now() - started) / 1000);
    },

    /**
     * The statements one submission sends, in order, as the service sends them (seen in
     * pg_stat_statements under this benchmark): no token lookup, since the service remembers what
     * it read about a token for 4 seconds (src/auth/authenticator.ts); one transaction for the checks and writes; then the answer's history and
     * the review deadlines (the calendar and the regions' settings, read side by side).
     */
    async submitBaselineRun(count) {
      const batch = children.slice(nextChild, (nextChild += count));
      const started = performance.now();
      await withConcurrency(count, CONCURRENCY, async (index) => {
        const childId = batch[index]!;
        const externalRef = `S-${childId}`;
        const claimId = await sql.begin(async (tx) => {
          await tx`select * from claims where institution_id = ${institution.id} and external_ref = ${externalRef} limit 1`;
          await tx`select * from children where id = ${childId} limit 1`;
          await tx`select * from applications where child_id = ${childId} and institution_id = ${institution.id} and status = 'approved' and year = 2025 and 'training' = any(services)`;
          await tx`select * from institutions where id = ${institution.id} limit 1`;
          await tx`select * from policy_versions where (region_code = '511702' or region_code is null) and effective_from <= '2025-03-01' order by region_code is null, effective_from desc limit 1`;
          await tx`select * from policy_rules where policy_id = any(${[DEFAULT_POLICY_ID]}::uuid[]) order by position`;
          await tx`select month from claim_months where child_id = ${childId} and service = 'training' and month = any(${['2025-03']}::text[]) and claim_id is distinct from ${null}::uuid order by month`;
          await tx`select coalesce(sum(amount) filter (where year = 2025), 0)::numeric(14,2)::text, coalesce(sum(amount), 0)::numeric(14,2)::text from entitlement_usage where child_id = ${childId} and service = 'training' and device_kind is not distinct from ${null}`;
          const id = newId();
          await tx`insert into claims ${tx({
            id, institution_id: institution.id, external_ref: externalRef, child_id: childId, region_code: '511702', category: 'hearing', service: 'training',
            device_kind: null, period_from: '2025-03', period_to: '2025-03', months: 1, service_date: null, service_year: 2025, service_month: '2025-03',
            gross_cost: '1800.00', basic_medical_insurance: '0.00', critical_illness_insurance: '0.00', supplementary_critical_illness_insurance: '0.00', medical_aid: '0.00',
            remainder: '1800.00', free_issued: false, reviewed_by: '会计', status: 'submitted', estimate_policy_id: DEFAULT_POLICY_ID, estimate_cap: '1700.00',
            estimate_subsidy: '1700.00', estimate_reasons: '{MONTHLY_LIMIT}', content_fingerprint: `["${childId}"]`, submitted_at: new Date(), created_at: new Date(),
          })} returning *`;
          await tx`insert into claim_months (child_id, service, month, claim_id) values (${childId}, 'training', '2025-03', ${id})`;
          await tx`insert into audit_events (id, at, actor_id, actor_role, action, entity_type, entity_id, region_code, data, request_id) values (${newId()}, ${new Date()}, ${institutionUser.id}, 'institution', 'claim.submitted', 'claim', ${id}, '511702', ${tx.json({ externalRef })}, ${newId()})`;
          return id;
        });
        // The answer shows the claim with its history and due date.
        await sql`select * from audit_events where entity_type = 'claim' and entity_id = any(${[claimId]}::uuid[]) order by id`;
        await Promise.all([sql`select * from calendar_years order by year`, sql`select region_code, review_working_days from region_settings where review_working_days is not null`]);
        submittedDirectly.push(claimId);
      });
      return count / ((performance.now() - started) / 1000);
    },

    async approveRun(count) {
      const batch = submittedOverHttp.splice(0, count);
      const started = performance.now();
      await withConcurrency(batch.length, CONCURRENCY, async (index) => {
        const response = await reviewer.post(`/api/v1/claims/${batch[index]}/approve`, {});
        if (response.status !== 200) throw new Error(`approval failed: ${response.status} ${JSON.stringify(response.body)}`);
      });
      return batch.length / ((performance.now() - started) / 1000);
    },

    /**
     * The statements one approval sends, as the service sends them: in one transaction, the claim
     * and then the child locked; the child's referrals (a drop-out after submission stops the
     * approval) and usage, side by side; the policy; the settlement, ledger, status and audit
     * written; the answer's history, then the calendar and the regions' settings side by side on
     * the transaction's connection.
     */
    async approveBaselineRun(count) {
      const batch = submittedDirectly.splice(0, count);
      const started = performance.now();
      await withConcurrency(batch.length, CONCURRENCY, async (index) => {
        const claimId = batch[index]!;
        await sql.begin(async (tx) => {
          const [claim] = await tx`select * from claims where id = any(${[claimId]}::uuid[]) and region_code = '511702' order by id for update`;
          await tx`select * from children where id = any(${[claim!.child_id]}::uuid[]) order by id for update`;
          await Promise.all([
            tx`select * from applications where child_id = any(${[claim!.child_id]}::uuid[]) and status = 'approved'`,
            tx`select child_id, service, device_kind, year, sum(amount)::numeric(14,2)::text from entitlement_usage where child_id = any(${[claim!.child_id]}::uuid[]) group by child_id, service, device_kind, year`,
          ]);
          await tx`select * from policy_versions where (region_code = '511702' or region_code is null) and effective_from <= '2025-03-01' order by region_code is null, effective_from desc limit 1`;
          await tx`select * from policy_rules where policy_id = any(${[DEFAULT_POLICY_ID]}::uuid[]) order by position`;
          await tx`insert into settlements ${tx({
            claim_id: claimId, policy_id: DEFAULT_POLICY_ID, remainder: '1800.00', cap: '1700.00', subsidy: '1700.00', approved_amount: '1700.00', reasons: '{MONTHLY_LIMIT}',
            limits: tx.json([{ code: 'MONTHLY_LIMIT' }]), steps: tx.json([{ label: 'grossCost' }]), note: null, approved_by_user_id: reviewerUser.id, approved_at: new Date(),
          })}`;
          await tx`insert into entitlement_usage (id, claim_id, child_id, service, device_kind, year, amount, created_at) values (${newId()}, ${claimId}, ${claim!.child_id}, 'training', ${null}, 2025, '1700.00', ${new Date()})`;
          await tx`update claims set status = 'approved', approved_amount = approval.amount::numeric(14,2), decided_at = ${new Date()} from unnest(${[claimId]}::uuid[], ${['1700.00']}::text[]) as approval(id, amount) where claims.id = approval.id`;
          await tx`insert into audit_events (id, at, actor_id, actor_role, action, entity_type, entity_id, region_code, data, request_id) values (${newId()}, ${new Date()}, ${reviewerUser.id}, 'reviewer', 'claim.approved', 'claim', ${claimId}, '511702', ${tx.json({ approvedAmount: '1700.00' })}, ${newId()})`;
          await tx`select * from audit_events where entity_type = 'claim' and entity_id = any(${[claimId]}::uuid[]) order by id`;
          await Promise.all([tx`select * from calendar_years order by year`, tx`select region_code, review_working_days from region_settings where review_working_days is not null`]);
        });
      });
      return batch.length / ((performance.now() - started) / 1000);
    },

    async close() {
      await sql.end();
      await service.stop();
    },
  };
}
