import { Decimal } from 'decimal.js';
import { ageInFullYears, firstDayOfMonth, monthsInclusive } from '../domain/calendar.js';
import { ZERO } from '../domain/money.js';
import type { Category, DeviceKind, Service } from '../domain/vocabulary.js';
import { findRule, maxAgeOf, type PolicyRule, type PolicyVersion } from '../policies/policy.js';

// The settlement engine: a pure function from a claim, the policy version in force and the child's
// prior approved usage to a breakdown. No I/O and no clock: every input is an argument, so the same
// inputs always give the same settlement. Money is Decimal throughout; no step needs rounding (the
// rules use only subtraction, comparison and whole-month multiplication).

export const DEDUCTION_ORDER = [
  'basicMedicalInsurance',
  'criticalIllnessInsurance',
  'supplementaryCriticalIllnessInsurance',
  'medicalAid',
] as const;
export type DeductionName = (typeof DEDUCTION_ORDER)[number];
export type Deductions = Record<DeductionName, Decimal>;

export interface SettlementClaim {
  service: Service;
  deviceKind: DeviceKind | null;
  /** Training and early intervention: whole months YYYY-MM, inclusive. */
  periodFrom: string | null;
  periodTo: string | null;
  /** Surgery and devices: the date of the service. */
  serviceDate: string | null;
  grossCost: Decimal;
  deductions: Deductions;
  /** A device the county issued free of charge: no subsidy, no use of the limit. */
  freeIssued: boolean;
}

export interface SettlementChild {
  /** Null: a child without a disability category, whom no rule covers (protection.md §2). */
  category: Category | null;
  birthDate: string;
}

/** What the child was already approved for, before this claim. */
export interface PriorUsage {
  /** This service (and device kind), this calendar year of the service, every institution. */
  approvedThisYear: Decimal;
  /** This service (and device kind) over the child's whole history. */
  approvedEver: Decimal;
}

export type RefusalCode =
  | 'DEDUCTIONS_EXCEED_GROSS'
  | 'PERIOD_CROSSES_YEAR'
  | 'CATEGORY_NOT_COVERED'
  | 'INELIGIBLE_AGE'
  | 'APPROVAL_EXCEEDS_ENTITLEMENT';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export type ReasonCode =
  | 'MONTHLY_LIMIT'
  | 'ANNUAL_LIMIT'
  | 'ANNUAL_LIMIT_REACHED'
  | 'ONCE_PER_CHILD_LIMIT'
  | 'ONCE_PER_CHILD_USED'
  | 'FREE_ISSUED'
  | 'ADJUSTED_BY_REVIEWER';

export interface AppliedLimit {
  code: 'MONTHLY_LIMIT' | 'ANNUAL_LIMIT' | 'ONCE_PER_CHILD_LIMIT';
  /** The standard: per month, per year or once. */
  limit: Decimal;
  /** Monthly: the months of the claim. */
  months: number | null;
  /** Annual and once-per-child: what was approved before this claim. */
  used: Decimal | null;
  /** What this limit allows for this claim. */
  figure: Decimal;
  /** Whether this limit is the one that set the cap below the remainder. */
  binding: boolean;
}

export interface Step {
  label: 'grossCost' | DeductionName | 'cap' | 'reviewerAdjustment';
  amount: Decimal;
  /** The money still payable after this step. */
  balance: Decimal;
}

export interface Breakdown {
  policyId: string;
  serviceYear: number;
  months: number | null;
  ageYears: number;
  grossCost: Decimal;
  remainder: Decimal;
  limits: AppliedLimit[];
  cap: Decimal;
  subsidy: Decimal;
  approvedAmount: Decimal;
  reasons: ReasonCode[];
  steps: Step[];
}

export type SettlementResult = { ok: true; breakdown: Breakdown } | { ok: false; refusal: Refusal };

const refuse = (code: RefusalCode, message: string): SettlementResult => ({ ok: false, refusal: { code, message } });

/** The calendar year the claim's service belongs to. */
export function serviceYear(claim: Pick<SettlementClaim, 'periodFrom' | 'serviceDate'>): number {
  const start = claim.periodFrom ?? claim.serviceDate;
  if (!start) throw new Error('a claim has either a period or a service date');
  return Number(start.slice(0, 4));
}

/** The day whose policy and age count: the first day of the period, or the service date. */
export function serviceStartDate(claim: Pick<SettlementClaim, 'periodFrom' | 'serviceDate'>): string {
  if (claim.periodFrom) return firstDayOfMonth(claim.periodFrom);
  if (claim.serviceDate) return claim.serviceDate;
  throw new Error('a claim has either a period or a service date');
}

export function totalDeductions(deductions: Deductions): Decimal {
  return DEDUCTION_ORDER.reduce((total, name) => total.plus(deductions[name]), ZERO);
}

/** The claim's own arithmetic: deductions within the gross cost, a period inside one year. */
export function arithmeticRefusal(claim: SettlementClaim): Refusal | null {
  const deducted = totalDeductions(claim.deductions);
  if (deducted.greaterThan(claim.grossCost)) {
    return {
      code: 'DEDUCTIONS_EXCEED_GROSS',
      message: `the deductions (${deducted.toFixed(2)}) exceed the gross cost (${claim.grossCost.toFixed(2)})`,
    };
  }
  if (claim.periodFrom && claim.periodTo && claim.periodFrom.slice(0, 4) !== claim.periodTo.slice(0, 4)) {
    return { code: 'PERIOD_CROSSES_YEAR', message: 'a claim covers months of one calendar year; file one claim per year' };
  }
  return null;
}

/** The rule that covers the claim for this child, or why none does. */
export function eligibility(
  claim: SettlementClaim,
  child: SettlementChild,
  policy: PolicyVersion,
): { ok: true; rule: PolicyRule; ageYears: number } | { ok: false; refusal: Refusal } {
  const rule = findRule(policy, claim.service, claim.deviceKind, child.category);
  if (!rule || child.category === null) {
    const what = claim.deviceKind ? `${claim.service} (${claim.deviceKind})` : claim.service;
    return { ok: false, refusal: { code: 'CATEGORY_NOT_COVERED', message: `${what} is not covered for category ${child.category} under ${policy.name}` } };
  }
  const onDate = serviceStartDate(claim);
  const ageYears = ageInFullYears(child.birthDate, onDate);
  const maxAge = maxAgeOf(rule, child.category);
  if (ageYears > maxAge) {
    return { ok: false, refusal: { code: 'INELIGIBLE_AGE', message: `the child is ${ageYears} on ${onDate}; the limit is ${maxAge}` } };
  }
  return { ok: true, rule, ageYears };
}

function limitsFor(claim: SettlementClaim, rule: PolicyRule, usage: PriorUsage, months: number | null): AppliedLimit[] {
  const limits: AppliedLimit[] = [];
  if (rule.monthlyLimit && months !== null) {
    limits.push({ code: 'MONTHLY_LIMIT', limit: rule.monthlyLimit, months, used: null, figure: rule.monthlyLimit.times(months), binding: false });
  }
  if (rule.annualLimit) {
    const left = Decimal.max(ZERO, rule.annualLimit.minus(usage.approvedThisYear));
    limits.push({ code: 'ANNUAL_LIMIT', limit: rule.annualLimit, months: null, used: usage.approvedThisYear, figure: left, binding: false });
  }
  if (rule.oncePerChildLimit) {
    const left = Decimal.max(ZERO, rule.oncePerChildLimit.minus(usage.approvedEver));
    limits.push({ code: 'ONCE_PER_CHILD_LIMIT', limit: rule.oncePerChildLimit, months: null, used: usage.approvedEver, figure: left, binding: false });
  }
  if (limits.length === 0) throw new Error(`policy rule for ${claim.service} has no limit`);
  return limits;
}

function reasonFor(limit: AppliedLimit): ReasonCode {
  if (limit.code === 'ANNUAL_LIMIT' && limit.figure.isZero()) return 'ANNUAL_LIMIT_REACHED';
  if (limit.code === 'ONCE_PER_CHILD_LIMIT' && limit.figure.isZero()) return 'ONCE_PER_CHILD_USED';
  return limit.code;
}

/**
 * Settles a claim. `approvedAmount`, when given, is the reviewer's lower figure; above what the
 * rules give it is refused.
 */
export function settle(
  claim: SettlementClaim,
  child: SettlementChild,
  policy: PolicyVersion,
  usage: PriorUsage,
  options: { approvedAmount?: Decimal | undefined } = {},
): SettlementResult {
  // The deductions come off in order, once: the running balance is both the steps and the check
  // that they do not exceed the gross cost (the same refusals, in the same order, as
  // arithmeticRefusal gives).
  const steps: Step[] = [{ label: 'grossCost', amount: claim.grossCost, balance: claim.grossCost }];
  let remainder = claim.grossCost;
  for (const name of DEDUCTION_ORDER) {
    remainder = remainder.minus(claim.deductions[name]);
    steps.push({ label: name, amount: claim.deductions[name], balance: remainder });
  }
  if (remainder.isNegative()) {
    return refuse('DEDUCTIONS_EXCEED_GROSS', `the deductions (${claim.grossCost.minus(remainder).toFixed(2)}) exceed the gross cost (${claim.grossCost.toFixed(2)})`);
  }
  if (claim.periodFrom && claim.periodTo && claim.periodFrom.slice(0, 4) !== claim.periodTo.slice(0, 4)) {
    return refuse('PERIOD_CROSSES_YEAR', 'a claim covers months of one calendar year; file one claim per year');
  }
  const eligible = eligibility(claim, child, policy);
  if (!eligible.ok) return eligible;

  const months = claim.periodFrom && claim.periodTo ? monthsInclusive(claim.periodFrom, claim.periodTo) : null;
  let limits: AppliedLimit[];
  let cap: Decimal;
  const reasons: ReasonCode[] = [];
  if (claim.freeIssued) {
    limits = [];
    cap = ZERO;
    reasons.push('FREE_ISSUED');
  } else {
    limits = limitsFor(claim, eligible.rule, usage, months);
    cap = limits[0]!.figure;
    for (const limit of limits) if (limit.figure.lessThan(cap)) cap = limit.figure;
    if (cap.lessThan(remainder)) {
      for (const limit of limits) {
        if (limit.figure.equals(cap)) {
          limit.binding = true;
          reasons.push(reasonFor(limit));
        }
      }
    }
  }
  const subsidy = Decimal.min(remainder, cap);
  steps.push({ label: 'cap', amount: cap, balance: subsidy });

  let approvedAmount = subsidy;
  if (options.approvedAmount !== undefined) {
    if (options.approvedAmount.greaterThan(subsidy)) {
      return refuse('APPROVAL_EXCEEDS_ENTITLEMENT', `the rules give at most ${subsidy.toFixed(2)} for this claim`);
    }
    if (options.approvedAmount.lessThan(subsidy)) {
      approvedAmount = options.approvedAmount;
      reasons.push('ADJUSTED_BY_REVIEWER');
      steps.push({ label: 'reviewerAdjustment', amount: subsidy.minus(approvedAmount), balance: approvedAmount });
    }
  }

  return {
    ok: true,
    breakdown: {
      policyId: policy.id,
      serviceYear: serviceYear(claim),
      months,
      ageYears: eligible.ageYears,
      grossCost: claim.grossCost,
      remainder,
      limits,
      cap,
      subsidy,
      approvedAmount,
      reasons,
      steps,
    },
  };
}
