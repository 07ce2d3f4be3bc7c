import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type postgres from 'postgres';
import { newId } from '../src/db/ids.js';
import { api, credentialHeaders, RELIABILITY_ADMIN_TOKEN, signUp, type Credential } from '../test/reliability/service.js';
import { nextSeedIdNumber } from './seed.js';

// One batch of 100,000 approved claims: the claims and their settlements are seeded by COPY (the
// baseline is that COPY), then the batch is built and issued over HTTP, PDF included.

const POLICY_ID = '00000000-0000-7000-8000-000000000001';

async function copyRows(sql: postgres.Sql, table: string, columns: string[], rows: Iterable<string>) {
  const writable = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
  await pipeline(Readable.from(rows), writable);
}

export async function seedApprovedClaims(sql: postgres.Sql, institutionId: string, userId: string, count: number): Promise<number> {
  const childCount = Math.ceil(count / 10);
  const children: string[] = Array.from({ length: childCount }, () => newId());
  await copyRows(
    sql,
    'children',
    ['id', 'id_number', 'name', 'region_code', 'category', 'birth_date', 'sex', 'guardian_name', 'guardian_relation', 'guardian_phone', 'registered_by_user_id'],
    (function* () {
      for (const id of children) yield `${id},${nextSeedIdNumber()},基准儿童,511702,hearing,2021-02-01,male,家长,mother,13900001111,${userId}\n`;
    })(),
  );
  const claimIds = Array.from({ length: count }, () => newId());
  const now = new Date().toISOString();
  const started = performance.now();
  await copyRows(
    sql,
    'claims',
    ['id', 'institution_id', 'external_ref', 'child_id', 'region_code', 'category', 'service', 'period_from', 'period_to', 'months', 'service_year', 'service_month',
      'gross_cost', 'basic_medical_insurance', 'critical_illness_insurance', 'supplementary_critical_illness_insurance', 'medical_aid', 'remainder', 'free_issued',
      'reviewed_by', 'status', 'estimate_policy_id', 'estimate_cap', 'estimate_subsidy', 'estimate_reasons', 'approved_amount', 'content_fingerprint', 'submitted_at', 'decided_at'],
    (function* () {
      for (let index = 0; index < count; index++) {
        const month = `2025-${String((index % 10) + 1).padStart(2, '0')}`;
        yield `${claimIds[index]},${institutionId},B-${claimIds[index]},${children[Math.floor(index / 10)]},511702,hearing,training,${month},${month},1,2025,${month},1800.00,100.00,0.00,0.00,0.00,1700.00,f,会计,approved,${POLICY_ID},1700.00,1700.00,"{MONTHLY_LIMIT}",1700.00,x,${now},${now}\n`;
      }
    })(),
  );
  await copyRows(
    sql,
    'settlements',
    ['claim_id', 'policy_id', 'remainder', 'cap', 'subsidy', 'approved_amount', 'reasons', 'limits', 'steps', 'approved_by_user_id', 'approved_at'],
    (function* () {
      for (const id of claimIds) yield `${id},${POLICY_ID},1700.00,1700.00,1700.00,1700.00,"{MONTHLY_LIMIT}","[]","[]",${userId},${now}\n`;
    })(),
  );
  const seconds = (performance.now() - started) / 1000;
  // As after any bulk load (see seed.ts), outside the time measured.
  await sql`analyze children, claims, settlements`;
  return seconds;
}

async function post(baseUrl: string, credential: Credential, path: string, body: unknown) {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { ...credentialHeaders(credential, 'POST'), 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(600_000),
  });
  const json = (await response.json()) as any;
  if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * One reviewer builds every draft of one institution and a second issues them (security.md §2);
 * returns the seconds of both and of the build alone.
 */
export async function buildAndIssue(baseUrl: string, reviewers: { builder: Credential; issuer: Credential }, institutionId: string | undefined): Promise<{ seconds: number; buildSeconds: number }> {
  const started = performance.now();
  const made = await post(baseUrl, reviewers.builder, '/api/v1/batches', institutionId ? { institutionId } : {});
  const buildSeconds = (performance.now() - started) / 1000;
  for (const batch of made.batches as { id: string }[]) await post(baseUrl, reviewers.issuer, `/api/v1/batches/${batch.id}/issue`, {});
  return { seconds: (performance.now() - started) / 1000, buildSeconds };
}

export async function makeInstitution(baseUrl: string, name: string) {
  const institution = await post(baseUrl, RELIABILITY_ADMIN_TOKEN, '/api/v1/institutions', {
    code: `${name}-${newId().slice(-8)}`, name, regionCode: '511702', services: ['training', 'device'],
    bankAccount: { bank: '中国农业银行', accountName: name, accountNumber: '622848000000002' },
  });
  const user = await signUp(baseUrl, api(baseUrl, RELIABILITY_ADMIN_TOKEN), { name: `${name}会计`, role: 'institution', institutionId: institution.id });
  return { id: institution.id as string, credential: user.credential, userId: user.id };
}

export async function makeUser(baseUrl: string, body: Record<string, unknown>) {
  const user = await signUp(baseUrl, api(baseUrl, RELIABILITY_ADMIN_TOKEN), body);
  return { id: user.id, credential: user.credential };
}
