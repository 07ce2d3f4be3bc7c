import { createHash } from 'node:crypto';
import type postgres from 'postgres';
import { canonicalBatchJson } from '../../src/batches/canonical.js';
import type { FieldCipher } from '../../src/keys/fieldCipher.js';
import { openAccountNumber } from '../../src/institutions/accountSecrets.js';

// The invariants of the money, checked with SQL straight on the database. Each returns the rows
// that break it: an empty list is a pass.

/** The rules a database must hold after any crash or load; `cipher` opens the sealed payee accounts (the services' key). */
export async function brokenInvariants(sql: postgres.Sql, cipher: FieldCipher): Promise<Record<string, readonly unknown[]>> {
  const broken: Record<string, readonly unknown[]> = {};
  broken.claimInTwoBatches = await sql`select claim_id from batch_lines where not cancelled group by claim_id having count(*) > 1`;
  broken.batchTotals = await sql`
    select b.id from batches b left join batch_lines l on l.batch_id = b.id and not l.cancelled
    where b.status <> 'cancelled'
    group by b.id, b.total, b.claim_count
    having b.total <> coalesce(sum(l.approved_amount), 0) or b.claim_count <> count(l.claim_id)`;
  broken.claimBatchLink = await sql`
    select c.id from claims c left join batch_lines l on l.claim_id = c.id and not l.cancelled
    where c.batch_id is distinct from l.batch_id`;
  broken.ledgerEqualsApprovals = await sql`
    select c.child_id, c.service, c.service_year from claims c
    where c.status in ('approved', 'batched', 'paid')
    group by c.child_id, c.service, c.service_year, c.device_kind
    having sum(c.approved_amount) <> (select coalesce(sum(u.amount), 0) from entitlement_usage u
      where u.child_id = c.child_id and u.service = c.service and u.year = c.service_year and u.device_kind is not distinct from c.device_kind)`;
  broken.ledgerWithoutApproval = await sql`
    select u.claim_id from entitlement_usage u join claims c on c.id = u.claim_id where c.status not in ('approved', 'batched', 'paid')`;
  broken.annualTrainingLimit = await sql`
    select child_id, year, sum(amount) from entitlement_usage where service = 'training' group by child_id, year having sum(amount) > 17000`;
  broken.deviceLimits = await sql`
    select child_id, device_kind, year, sum(amount) from entitlement_usage where service = 'device'
    group by child_id, device_kind, year
    having sum(amount) > case device_kind when 'hearing_aid' then 4800 when 'prosthesis_orthosis' then 5000 else 1500 end`;
  broken.paidWithoutPaidBatch = await sql`
    select c.id from claims c left join batches b on b.id = c.batch_id
    where (c.status = 'paid' and (b.status is distinct from 'paid')) or (c.status = 'batched' and (b.status is distinct from 'issued'))
       or (b.status = 'paid' and c.status <> 'paid') or (b.status = 'issued' and c.status <> 'batched')`;
  broken.missingAudit = await sql`
    select 'claim' as kind, c.id from claims c where not exists (select 1 from audit_events a where a.entity_id = c.id and a.action = 'claim.submitted')
    union all select 'approval', c.id from claims c where c.status in ('approved', 'batched', 'paid') and not exists (select 1 from audit_events a where a.entity_id = c.id and a.action = 'claim.approved')
    union all select 'batch', b.id from batches b where not exists (select 1 from audit_events a where a.entity_id = b.id and a.action = 'batch.created')
    union all select 'issue', b.id from batches b where b.status in ('issued', 'paid') and not exists (select 1 from audit_events a where a.entity_id = b.id and a.action = 'batch.issued')
    union all select 'payment', b.id from batches b where b.status = 'paid' and not exists (select 1 from audit_events a where a.entity_id = b.id and a.action = 'batch.paid')
    union all select 'cancel', b.id from batches b where b.status = 'cancelled' and not exists (select 1 from audit_events a where a.entity_id = b.id and a.action = 'batch.cancelled')`;

  // Every issued PDF is the bytes its hash names, and the content hash is the canonical one.
  const documents = await sql`
    select b.id, b.number, b.region_code, b.institution_id, b.approved_through::text, b.issued_at, b.claim_count, b.total::text,
      b.payee_code, b.payee_name, b.payee_bank, b.payee_account_name, b.payee_account_number_sealed, b.sha256, d.pdf, d.pdf_sha256
    from batches b left join batch_documents d on d.batch_id = b.id where b.status in ('issued', 'paid')`;
  const pdfHash: string[] = [];
  const contentHash: string[] = [];
  broken.pdfHash = pdfHash;
  broken.contentHash = contentHash;
  for (const document of documents) {
    if (!document.pdf || createHash('sha256').update(document.pdf).digest('hex') !== document.pdf_sha256) pdfHash.push(document.id);
    const lines = await sql`
      select line_no, claim_id, external_ref, child_name, id_number_masked, category, service, device_kind, period,
        gross_cost::text, deductions_total::text, remainder::text, approved_amount::text
      from batch_lines where batch_id = ${document.id} order by line_no`;
    const canonical = canonicalBatchJson({
      number: document.number,
      regionCode: document.region_code,
      institutionId: document.institution_id,
      payee: { code: document.payee_code, name: document.payee_name, bank: document.payee_bank, accountName: document.payee_account_name, accountNumber: openAccountNumber(cipher, 'batchPayee', document.payee_account_number_sealed) },
      approvedThrough: document.approved_through,
      issuedAt: new Date(document.issued_at).toISOString(),
      claimCount: document.claim_count,
      total: document.total,
      lines: lines.map((line) => ({
        lineNo: line.line_no,
        claimId: line.claim_id,
        externalRef: line.external_ref,
        childName: line.child_name,
        idNumberMasked: line.id_number_masked,
        category: line.category,
        service: line.service,
        deviceKind: line.device_kind,
        period: line.period,
        grossCost: line.gross_cost,
        deductionsTotal: line.deductions_total,
        remainder: line.remainder,
        approvedAmount: line.approved_amount,
      })),
    });
    if (createHash('sha256').update(canonical).digest('hex') !== document.sha256) contentHash.push(document.id);
  }
  return Object.fromEntries(Object.entries(broken).filter(([, rows]) => rows.length > 0));
}

/** Tokens, full ID numbers and phone numbers that must never appear in the service's output. */
export function leakedSecrets(output: string, secrets: string[]): string[] {
  return secrets.filter((secret) => output.includes(secret)).map((secret) => `${secret.slice(0, 4)}…`);
}
