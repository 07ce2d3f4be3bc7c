import { monthRange } from '../domain/calendar.js';
import { reviewOverdue } from '../domain/verificationRule.js';
import { formatMoney, money, type Money } from '../domain/money.js';
import { standardInForce } from '../domain/standardInForce.js';
import { compareCodePoints, createMonthlyRollPlanner, lastPayableMonth, planMonthlyRoll, type MonthlyRollPlan, type MonthlyRollPlanInput } from '../domain/monthlyRollRule.js';

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

/**
 * The standard in force in a month: the region's own latest in force, else the latest default;
 * none for a month before every standard (such a month is not covered: nothing is payable in it).
 */
export function standardFor(month: string, regionCode: string, standards: readonly AllowanceStandard[]): AllowanceStandard | undefined {
  return standardInForce(month, regionCode, standards);
}

export function monthlyAmount(standard: AllowanceStandard, tier: Tier): Money {
  return money(tier === 'care' ? standard.careMonthly : standard.nursingSupplementMonthly);
}

/** A tier from a month on. A beneficiary's changes are listed in the order they were recorded. */
export interface TierChange {
  fromMonth: string;
  tier: Tier;
}

/**
 * The tier in force in a month: of the changes from that month or before, the latest recorded. A
 * change for a month that already had one supersedes it from then on; the earlier stays recorded.
 */
export function tierFor(month: string, tiers: readonly TierChange[]): Tier {
  let found: TierChange | undefined;
  for (const change of tiers) if (change.fromMonth <= month) found = change;
  if (!found) throw new Error(`no tier in force in ${month}`);
  return found.tier;
}

/** The facts of one approved beneficiary (active, ended or exited) that the rule needs. */
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
  /** As stored, sealed (allowanceAccounts.ts): the rule carries it to the transfer as it is. */
  accountNumberSealed: string;
}

/** The last payable month up to `throughMonth`: the 18th-birthday month, the month before an exit (the kit's rule). */
export { lastPayableMonth };

/**
 * The months in the record's span up to and including `throughMonth`: from its first month to
 * the 18th-birthday month, before an exit. A month of the span is payable when a standard covers it.
 */
export function payableMonths(beneficiary: Pick<AllowanceBeneficiary, 'startMonth' | 'lastMonth' | 'exitFromMonth'>, throughMonth: string): string[] {
  return monthRange(beneficiary.startMonth, lastPayableMonth(beneficiary, throughMonth));
}

/**
 * The first month of a new record of a child: its acceptance month, or where the latest exit of the
 * child's earlier records stopped if that is later (one record pays a month).
 */
export function startMonthOf(acceptedOn: string, earlierExitFromMonths: readonly string[]): string {
  let start = acceptedOn.slice(0, 7);
  for (const exitFromMonth of earlierExitFromMonths) if (exitFromMonth > start) start = exitFromMonth;
  return start;
}

export type BeneficiaryStatus = 'pending' | 'active' | 'ended' | 'rejected' | 'exited';

/** An approved record is ended, not active, once the month of the 18th birthday is past (derived, never stored). */
export function beneficiaryStatus(stored: string, lastMonth: string, currentMonth: string): BeneficiaryStatus {
  if (stored === 'active' && currentMonth > lastMonth) return 'ended';
  return stored as BeneficiaryStatus;
}

/**
 * Why a beneficiary is held in a roll of `rollMonth`, the first reason that applies; else null. An
 * exit settled the facts a review would check: an exited record is never overdue for review.
 */
export function holdReasonFor(beneficiary: Pick<AllowanceBeneficiary, 'openHolds' | 'lastVerifiedOn' | 'exitFromMonth'>, rollMonth: string): HoldReason | null {
  for (const reason of HOLD_REASONS) {
    if (reason === 'review_overdue') {
      if (beneficiary.exitFromMonth === null && reviewOverdue(beneficiary.lastVerifiedOn, rollMonth)) return reason;
    } else if (beneficiary.openHolds.includes(reason)) return reason;
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

/** Each standard's monthly amounts as money strings, formatted once (a province's roll has tens of thousands of entries). */
const formattedAmounts = new WeakMap<AllowanceStandard, Record<Tier, string>>();
function amountOf(standard: AllowanceStandard, tier: Tier): string {
  let amounts = formattedAmounts.get(standard);
  if (!amounts) {
    amounts = { care: formatMoney(monthlyAmount(standard, 'care')), nursing_supplement: formatMoney(monthlyAmount(standard, 'nursing_supplement')) };
    formattedAmounts.set(standard, amounts);
  }
  return amounts[tier];
}

/** The entry a month would get now: its standard, tier, fund and amount; none when no standard covers it. */
export function monthEntry(month: string, tiers: readonly TierChange[], regionCode: string, standards: readonly AllowanceStandard[]): MonthEntry | undefined {
  const standard = standardFor(month, regionCode, standards);
  if (!standard) return undefined;
  const tier = tierFor(month, tiers);
  return { month, tier, fund: FUND_OF_TIER[tier], standardId: standard.id, amount: amountOf(standard, tier) };
}

/** The due months' entries: payable (covered by a standard), not already in a live entry of this child, worth paying. */
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
    const entry = monthEntry(month, beneficiary.tiers, regionCode, standards);
    // A standard of 0.00 for a tier pays nothing: there is no entry to make.
    if (!entry || entry.amount === '0.00') continue;
    entries.push(entry);
  }
  return entries;
}

export type MonthStatus = 'paid' | 'in_roll' | 'due' | 'held' | 'not_covered';

/** A month of a record as its per-month view shows it. */
export interface MonthView {
  month: string;
  status: MonthStatus;
  amount: string;
  rollId: string | null;
  rollNumber: string | null;
}

/**
 * Every month of a record's span up to `throughMonth`: in a live entry of the child (paid or in a
 * roll; under this record, or under an earlier one that sent it before an exit this record starts
 * at), due or held (by `heldBy`), or not covered by any standard. A month a standard of 0.00 pays
 * nothing for is left out.
 */
export function monthViews(input: {
  beneficiary: Pick<AllowanceBeneficiary, 'startMonth' | 'lastMonth' | 'exitFromMonth' | 'tiers'>;
  throughMonth: string;
  regionCode: string;
  standards: readonly AllowanceStandard[];
  /** The child's live entries by month, under any of its records. */
  entries: ReadonlyMap<string, { amount: string; paid: boolean; rollId: string; rollNumber: string }>;
  heldBy: HoldReason | null;
}): MonthView[] {
  const views: MonthView[] = [];
  for (const month of payableMonths(input.beneficiary, input.throughMonth)) {
    const entry = input.entries.get(month);
    if (entry) {
      views.push({ month, status: entry.paid ? 'paid' : 'in_roll', amount: formatMoney(money(entry.amount)), rollId: entry.rollId, rollNumber: entry.rollNumber });
      continue;
    }
    const due = monthEntry(month, input.beneficiary.tiers, input.regionCode, input.standards);
    if (!due) {
      views.push({ month, status: 'not_covered', amount: '0.00', rollId: null, rollNumber: null });
      continue;
    }
    if (due.amount === '0.00') continue;
    views.push({ month, status: input.heldBy ? 'held' : 'due', amount: due.amount, rollId: null, rollNumber: null });
  }
  return views;
}

export { compareCodePoints } from '../domain/monthlyRollRule.js';

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

/** Transfers are numbered by community name, then code (a community without one first), then child name, then id. */
export function compareForNumbering(
  a: Pick<AllowanceBeneficiary, 'communityName' | 'communityCode' | 'childName' | 'id'>,
  b: Pick<AllowanceBeneficiary, 'communityName' | 'communityCode' | 'childName' | 'id'>,
): number {
  return (
    compareCodePoints(a.communityName, b.communityName) ||
    compareCodePoints(a.communityCode ?? '', b.communityCode ?? '') ||
    compareCodePoints(a.childName, b.childName) ||
    compareCodePoints(a.id, b.id)
  );
}

/** A community is its code when it has one, else its name: two villages of one name are two. */
export function communityKey(community: { communityName: string; communityCode: string | null }): string {
  return community.communityCode ? `code:${community.communityCode}` : `name:${community.communityName}`;
}

export interface RollPlanInput {
  month: string;
  regionCode: string;
  beneficiaries: readonly AllowanceBeneficiary[];
  standards: readonly AllowanceStandard[];
  /** Months of each child already in a live entry of any roll, across all of its records. */
  liveMonthsByChild: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The rule's part of a roll plan: due entries, holds and numbering of the care allowance's beneficiaries. */
function plannerInput(input: RollPlanInput): MonthlyRollPlanInput<AllowanceBeneficiary, MonthEntry, HoldReason> {
  return {
    month: input.month,
    payees: input.beneficiaries,
    liveMonthsByChild: input.liveMonthsByChild,
    compare: compareForNumbering,
    due: (beneficiary, throughMonth, taken) => dueEntries(beneficiary, throughMonth, input.regionCode, input.standards, taken),
    holdReason: holdReasonFor,
  };
}

/** The roll's transfers and held beneficiaries in the care allowance's words. */
function inAllowanceWords(plan: MonthlyRollPlan<AllowanceBeneficiary, MonthEntry, HoldReason>): RollPlan {
  return {
    transfers: plan.transfers.map(({ transferNo, payee, entries, amount }) => ({ transferNo, beneficiary: payee, entries, amount })),
    held: plan.held.map(({ payee, reason, months, amount }) => ({ beneficiaryId: payee.id, childName: payee.childName, communityName: payee.communityName, reason, months, amount })),
  };
}

/**
 * Plans a roll a slice of beneficiaries at a time (`next`), so that a caller holding an event loop
 * can let other work run between slices of a province's tens of thousands; the plan is the same as
 * planRoll's. The machinery is the monthly-roll kit's (src/domain/monthlyRollRule.ts).
 */
export function createRollPlanner(input: RollPlanInput) {
  const planner = createMonthlyRollPlanner(plannerInput(input));
  return {
    get done() {
      return planner.done;
    },
    next: (limit: number) => planner.next(limit),
    plan: (): RollPlan => inAllowanceWords(planner.plan()),
  };
}

/**
 * The content of a roll for `month`: one transfer per beneficiary not held with due months (every
 * due month up to and including `month`, each at the standard and tier of that month), numbered
 * 1.. by community name, community code, child name and beneficiary id; and the held beneficiaries
 * with what waits for them. A month of a child goes to one record only, even if two records of
 * the child were to cover it.
 */
export function planRoll(input: RollPlanInput): RollPlan {
  return inAllowanceWords(planMonthlyRoll(plannerInput(input)));
}

export { maskAccountNumber } from '../domain/masks.js';
