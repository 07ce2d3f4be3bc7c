import { Decimal } from 'decimal.js';
import type { Executor } from '../db/client.js';
import type { auditEvents } from '../db/schema.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney } from '../domain/money.js';
import type { EvidenceKind } from '../domain/evidence.js';
import type { Service } from '../domain/vocabulary.js';
import { evidenceMissingOf } from '../evidence/evidence.repository.js';
import { loadDeadlines, type Deadlines } from '../calendar/deadlines.js';
import type { RequestContext } from '../http/context.js';
import { notFound } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import type { Breakdown } from '../settlement/engine.js';
import { findClaimInScope, historyOf, settlementsOf, type ClaimRow, type SettlementRow } from './claims.repository.js';

// A claim as the API answers it (ClaimSchema): its figures as money strings, the estimate, the
// settlement once approved, the review deadline and the history. Every action that answers with
// a claim builds it here.

export const money = (value: string | Decimal) => formatMoney(new Decimal(value));

export function presentSteps(steps: Breakdown['steps']) {
  return steps.map((step) => ({ label: step.label, amount: money(step.amount), balance: money(step.balance) }));
}

export function presentLimits(limits: Breakdown['limits']) {
  return limits.map((limit) => ({
    code: limit.code,
    limit: money(limit.limit),
    months: limit.months,
    used: limit.used === null ? null : money(limit.used),
    figure: money(limit.figure),
    binding: limit.binding,
  }));
}

export function presentBreakdown(breakdown: Breakdown) {
  return {
    policyId: breakdown.policyId,
    remainder: money(breakdown.remainder),
    limits: presentLimits(breakdown.limits),
    cap: money(breakdown.cap),
    subsidy: money(breakdown.subsidy),
    reasons: breakdown.reasons,
    steps: presentSteps(breakdown.steps),
  };
}

type HistoryRow = typeof auditEvents.$inferSelect;

function presentHistory(events: HistoryRow[]) {
  return events.map((event) => {
    const data = event.data as { reason?: string; note?: string | null };
    return {
      at: iso(event.at),
      action: event.action.replace(/^claim\./, ''),
      by: event.actorId,
      note: data.reason ?? data.note ?? null,
    };
  });
}

/** Statuses in which the reviewer has decided the claim's latest submission. */
const DECIDED_STATUSES: readonly ClaimRow['status'][] = ['approved', 'rejected', 'returned', 'batched', 'paid', 'withdrawn'];

/**
 * The claim's review deadline: received on the China date of its latest (re)submission, due N
 * working days later in the paying region, decided when the reviewer approved, rejected or
 * returned it (a claim withdrawn before any decision has no decision date).
 */
export function claimTiming(row: ClaimRow, deadlines: Deadlines, today: string) {
  const decidedOn = DECIDED_STATUSES.includes(row.status) && row.decidedAt ? chinaDate(row.decidedAt) : null;
  return deadlines.timing(row.regionCode, chinaDate(row.submittedAt), row.status === 'submitted', decidedOn, today);
}

export function presentClaim(row: ClaimRow, settlement: SettlementRow | undefined, history: HistoryRow[], timing: ReturnType<typeof claimTiming>, evidenceMissing: EvidenceKind[]) {
  return {
    id: row.id,
    externalRef: row.externalRef,
    institutionId: row.institutionId,
    childId: row.childId,
    regionCode: row.regionCode,
    category: row.category,
    service: row.service as Service,
    deviceKind: row.deviceKind,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    months: row.months,
    serviceDate: row.serviceDate,
    freeIssued: row.freeIssued,
    grossCost: money(row.grossCost),
    deductions: {
      basicMedicalInsurance: money(row.basicMedicalInsurance),
      criticalIllnessInsurance: money(row.criticalIllnessInsurance),
      supplementaryCriticalIllnessInsurance: money(row.supplementaryCriticalIllnessInsurance),
      medicalAid: money(row.medicalAid),
    },
    remainder: money(row.remainder),
    status: row.status as 'submitted' | 'approved' | 'rejected' | 'returned' | 'withdrawn' | 'batched' | 'paid',
    reviewedBy: row.reviewedBy,
    estimate: {
      policyId: row.estimatePolicyId,
      cap: money(row.estimateCap),
      subsidy: money(row.estimateSubsidy),
      reasons: row.estimateReasons,
    },
    approvedAmount: row.approvedAmount === null ? null : money(row.approvedAmount),
    settlement: settlement
      ? {
          policyId: settlement.policyId,
          cap: money(settlement.cap),
          subsidy: money(settlement.subsidy),
          approvedAmount: money(settlement.approvedAmount),
          reasons: settlement.reasons,
          limits: settlement.limits as ReturnType<typeof presentLimits>,
          steps: settlement.steps as ReturnType<typeof presentSteps>,
          note: settlement.note,
          approvedBy: settlement.approvedByUserId,
          approvedAt: iso(settlement.approvedAt),
        }
      : null,
    batchId: row.batchId,
    evidenceMissing,
    submittedAt: iso(row.submittedAt),
    ...timing,
    history: presentHistory(history),
  };
}

export async function presentClaims(db: Executor, rows: ClaimRow[], today: string, deadlines?: Deadlines) {
  const ids = rows.map((row) => row.id);
  const [settlementRows, historyRows, due, missing] = await Promise.all([settlementsOf(db, ids), historyOf(db, ids), deadlines ?? loadDeadlines(db), evidenceMissingOf(db, rows)]);
  return rows.map((row) =>
    presentClaim(
      row,
      settlementRows.find((settlement) => settlement.claimId === row.id),
      historyRows.filter((event) => event.entityId === row.id),
      claimTiming(row, due, today),
      missing.get(row.id) ?? [],
    ),
  );
}

/** One claim in scope, as GET /claims/:id answers it; 404 outside scope. */
export async function getClaim(executor: Executor, context: RequestContext, id: string) {
  const row = await findClaimInScope(executor, context.actor, id);
  if (!row) throw notFound('claim');
  return (await presentClaims(executor, [row], chinaDate(context.now)))[0]!;
}
