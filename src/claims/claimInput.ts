import { Decimal } from 'decimal.js';
import { monthsInclusive } from '../domain/calendar.js';
import { formatMoney } from '../domain/money.js';
import type { DeviceKind, Service } from '../domain/vocabulary.js';
import { DEDUCTION_ORDER, type Deductions, type SettlementClaim } from '../settlement/engine.js';
import type { ClaimBody, PreviewBody } from './claims.schemas.js';
import type { ClaimRow } from './claims.repository.js';

// A claim as the settlement engine takes it, from a request's body or from a stored row, and what
// of it makes "the same content" and the months it holds.

export interface ClaimInput {
  childRef: { id: string } | { idNumber: string };
  claim: SettlementClaim;
}

export function toClaimInput(body: ClaimBody | PreviewBody): ClaimInput {
  const deductions = Object.fromEntries(
    DEDUCTION_ORDER.map((name) => [name, new Decimal(body.deductions?.[name] ?? '0')]),
  ) as Deductions;
  return {
    childRef: body.childId ? { id: body.childId } : { idNumber: body.childIdNumber! },
    claim: {
      service: body.service,
      deviceKind: (body.deviceKind ?? null) as DeviceKind | null,
      periodFrom: body.periodFrom ?? null,
      periodTo: body.periodTo ?? null,
      serviceDate: body.serviceDate ?? null,
      grossCost: new Decimal(body.grossCost),
      deductions,
      freeIssued: body.freeIssued ?? false,
    },
  };
}

export function claimOfRow(row: ClaimRow): SettlementClaim {
  return {
    service: row.service as Service,
    deviceKind: row.deviceKind as DeviceKind | null,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    serviceDate: row.serviceDate,
    grossCost: new Decimal(row.grossCost),
    deductions: {
      basicMedicalInsurance: new Decimal(row.basicMedicalInsurance),
      criticalIllnessInsurance: new Decimal(row.criticalIllnessInsurance),
      supplementaryCriticalIllnessInsurance: new Decimal(row.supplementaryCriticalIllnessInsurance),
      medicalAid: new Decimal(row.medicalAid),
    },
    freeIssued: row.freeIssued,
  };
}

/**
 * What "the same content" means for a resent externalRef: the claim once normalised (child by id,
 * money by value, omitted deductions as 0). reviewedBy is not part of it.
 */
export function fingerprint(childId: string | null, claim: SettlementClaim): string {
  return JSON.stringify([
    childId,
    claim.service,
    claim.deviceKind,
    claim.periodFrom,
    claim.periodTo,
    claim.serviceDate,
    claim.freeIssued,
    formatMoney(claim.grossCost),
    ...DEDUCTION_ORDER.map((name) => formatMoney(claim.deductions[name])),
  ]);
}

export function monthsOf(claim: SettlementClaim): string[] {
  if (!claim.periodFrom || !claim.periodTo) return [];
  const months: string[] = [];
  const [year, first] = claim.periodFrom.split('-').map(Number) as [number, number];
  for (let index = 0; index < monthsInclusive(claim.periodFrom, claim.periodTo); index++) {
    const month = first + index;
    months.push(`${year + Math.floor((month - 1) / 12)}-${String(((month - 1) % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}
