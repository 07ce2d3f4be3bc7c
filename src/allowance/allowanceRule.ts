import { addMonths, monthRange } from '../domain/calendar.js';
import { reviewOverdue } from '../domain/verificationRule.js';
import { formatMoney, money, sumMoney, type Money } from '../domain/money.js';

// The care allowance's rule (allowance.md), pure: which months a beneficiary is owed, at which
// standard and tier, who is held and why, and what a monthly roll holds. No I/O and no clock: the
// service reads the facts and the current month and passes them in.

export const TIERS = ['care', 'nursing_supplement'] as const;
export type Tier = (typeof TIERS)[number];
export type Fund = 'county' | 'hardship';

/** The stored holds; review_overdue is derived from the last verification. */
export const STORED_HOLD_REASONS = ['bank_failure', 'manual', 'objection'] as const;
export type StoredHoldReason = (typeof STORED_HOLD_REASONS)[number];
/** In the order a roll names the reason of a held beneficiary: the first that applies. */
export const HOLD_REASONS = ['bank_failure', 'manual', 'objection', 'review_overdue'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const FUND_OF_TIER: Record<Tier, Fund> = { care: 'county', nursing_supplement: 'hardship' };

export { VERIFICATION_VALID_MONTHS, reviewOverdue } from '../domain/verificationRule.js';

// Month arithmetic is the shared calendar's (src/domain/calendar.ts); re-exported for this rule's callers.
export { addMonths, monthRange } from '../domain/calendar.js';

/** The month of the 18th birthday: the last month paid (年满18周岁的次月起停发). */
export function lastAllowanceMonth(birthDate: string): string {
  return `${String(Number(birthDate.slice(0, 4)) + 18).padStart(4, '0')}-${birthDate.slice(5, 7)}`;
}

export interface AllowanceStandard {
  id: string;
  effectiveFrom: string;
  /** Null for the default of every region. */
  regionCode: string | null;
  careMonthly: string;
  nursingSupplementMonthly: string;
}

/** The standard in force in a month: the region's own latest in force, else the latest default. */
export function standardFor(month: string, regionCode: string, standards: readonly AllowanceStandard[]): AllowanceStandard {
  let own: AllowanceStandard | undefined;
  let fallback: AllowanceStandard | undefined;
  for (const standard of standards) {
    if (standard.effectiveFrom > month) continue;
    if (standard.regionCode === regionCode) {
      if (!own || standard.effectiveFrom > own.effectiveFrom) own = standard;
    } else if (standard.regionCode === null) {
      if (!fallback || standard.effectiveFrom > fallback.effectiveFrom) fallback = standard;
    }
  }
  const found = own ?? fallback;
  if (!found) throw new Error(`no allowance standard in force in ${month} for region ${regionCode}`);
  return found;
}

export function monthlyAmount(standard: AllowanceStandard, tier: Tier): Money {
  return money(tier === 'care' ? standard.careMonthly : standard.nursingSupplementMonthly);
}

export interface TierChange {
  fromMonth: string;
  tier: Tier;
}

/** The tier in force in a month: the latest change from that month or before. */
export function tierFor(month: string, tiers: readonly TierChange[]): Tier {
  let found: TierChange | undefined;
  for (const change of tiers) if (change.fromMonth <= month && (!found || change.fromMonth > found.fromMonth)) found = change;
  if (!found) throw new Error(`no tier in force in ${month}`);
  return found.tier;
}

/** The facts of one approved beneficiary (active or exited) that the rule needs. */
export interface AllowanceBeneficiary {
  id: string;
  childId: string;
  childName: string;
  communityName: string;
  communityCode: string | null;
  startMonth: string;
  lastMonth: string;
  exitFromMonth: string | null;
  lastVerifiedOn: string | null;
  tiers: readonly TierChange[];
  openHolds: readonly StoredHoldReason[];
  bank: string;
  accountName: string;
  accountNumber: string;
}

/** The last payable month up to `throughMonth`: the 18th-birthday month, the month before an exit. */
export function lastPayableMonth(beneficiary: Pick<AllowanceBeneficiary, 'lastMonth' | 'exitFromMonth'>, throughMonth: string): string {
  let last = beneficiary.lastMonth < throughMonth ? beneficiary.lastMonth : throughMonth;
  if (beneficiary.exitFromMonth !== null) {
    const beforeExit = addMonths(beneficiary.exitFromMonth, -1);
    if (beforeExit < last) last = beforeExit;
  }
  return last;
}

/** The payable months up to and including `throughMonth`. */
export function payableMonths(beneficiary: Pick<AllowanceBeneficiary, 'startMonth' | 'lastMonth' | 'exitFromMonth'>, throughMonth: string): string[] {
  return monthRange(beneficiary.startMonth, lastPayableMonth(beneficiary, throughMonth));
}

/** Why a beneficiary is held in a roll of `rollMonth`, the first reason that applies; else null. */
export function holdReasonFor(beneficiary: Pick<AllowanceBeneficiary, 'openHolds' | 'lastVerifiedOn'>, rollMonth: string): HoldReason | null {
  for (const reason of HOLD_REASONS) {
    if (reason === 'review_overdue' ? reviewOverdue(beneficiary.lastVerifiedOn, rollMonth) : beneficiary.openHolds.includes(reason)) return reason;
  }
  return null;
}

export interface MonthEntry {
  month: string;
  tier: Tier;
  fund: Fund;
  standardId: string;
  amount: string;
}

/** The due months' entries: payable, not already in a live entry of this child, worth paying. */
export function dueEntries(
  beneficiary: AllowanceBeneficiary,
  throughMonth: string,
  regionCode: string,
  standards: readonly AllowanceStandard[],
  liveMonthsOfChild: ReadonlySet<string>,
): MonthEntry[] {
  const entries: MonthEntry[] = [];
  for (const month of payableMonths(beneficiary, throughMonth)) {
    if (liveMonthsOfChild.has(month)) continue;
    const standard = standardFor(month, regionCode, standards);
    const tier = tierFor(month, beneficiary.tiers);
    const amount = monthlyAmount(standard, tier);
    // A standard of 0.00 for a tier pays nothing: there is no entry to make.
    if (amount.isZero()) continue;
    entries.push({ month, tier, fund: FUND_OF_TIER[tier], standardId: standard.id, amount: formatMoney(amount) });
  }
  return entries;
}

/**
 * Unicode code point order, as PostgreSQL's COLLATE "C" sorts UTF-8 text. JavaScript's `<`
 * compares UTF-16 code units, which differs for characters outside the Basic Multilingual Plane.
 */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    const difference = left[index]!.codePointAt(0)! - right[index]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export interface RollTransfer {
  transferNo: number;
  beneficiary: AllowanceBeneficiary;
  entries: MonthEntry[];
  amount: string;
}

export interface HeldBeneficiary {
  beneficiaryId: string;
  childName: string;
  communityName: string;
  reason: HoldReason;
  months: string[];
  amount: string;
}

export interface RollPlan {
  transfers: RollTransfer[];
  held: HeldBeneficiary[];
}

/**
 * The content of a roll for `month`: one transfer per beneficiary not held with due months (every
 * due month up to and including `month`, each at the standard and tier of that month), numbered
 * 1.. by community name, child name and beneficiary id; and the held beneficiaries with what waits
 * for them.
 */
export function planRoll(input: {
  month: string;
  regionCode: string;
  beneficiaries: readonly AllowanceBeneficiary[];
  standards: readonly AllowanceStandard[];
  /** Months of each child already in a live entry of any roll, across all of its records. */
  liveMonthsByChild: ReadonlyMap<string, ReadonlySet<string>>;
}): RollPlan {
  const ordered = [...input.beneficiaries].sort(
    (a, b) => compareCodePoints(a.communityName, b.communityName) || compareCodePoints(a.childName, b.childName) || compareCodePoints(a.id, b.id),
  );
  const transfers: RollTransfer[] = [];
  const held: HeldBeneficiary[] = [];
  const noMonths = new Set<string>();
  for (const beneficiary of ordered) {
    const entries = dueEntries(beneficiary, input.month, input.regionCode, input.standards, input.liveMonthsByChild.get(beneficiary.childId) ?? noMonths);
    if (entries.length === 0) continue;
    const amount = formatMoney(sumMoney(entries.map((entry) => money(entry.amount))));
    const reason = holdReasonFor(beneficiary, input.month);
    if (reason !== null) {
      held.push({ beneficiaryId: beneficiary.id, childName: beneficiary.childName, communityName: beneficiary.communityName, reason, months: entries.map((entry) => entry.month), amount });
    } else {
      transfers.push({ transferNo: transfers.length + 1, beneficiary, entries, amount });
    }
  }
  return { transfers, held };
}

export { maskAccountNumber } from '../domain/masks.js';
