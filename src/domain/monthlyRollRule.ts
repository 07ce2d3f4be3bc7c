import { addMonths } from './calendar.js';
import { formatMoney, money, sumMoney } from './money.js';

// What a monthly roll (月度发放名册) holds, for any monthly programme (the care allowance, the
// basic-living allowance): one transfer per payee not held with due months, numbered in the
// programme's order; the held payees with what waits for them; a month of a child to one payee
// only. Pure: a programme says which months a payee is due, at what amount, and why it is held.

/**
 * The last payable month of a record up to `throughMonth`: its last month (the 18th birthday's, or
 * a later graduation's), and before an exit's first month. Every monthly programme's span ends so.
 */
export function lastPayableMonth(span: { lastMonth: string; exitFromMonth: string | null }, throughMonth: string): string {
  let last = span.lastMonth < throughMonth ? span.lastMonth : throughMonth;
  if (span.exitFromMonth !== null) {
    const beforeExit = addMonths(span.exitFromMonth, -1);
    if (beforeExit < last) last = beforeExit;
  }
  return last;
}

/** One month of a payee in a roll: its standard, tier, fund and amount (a money string). */
export interface RollMonthEntry {
  month: string;
  tier: string;
  fund: string;
  standardId: string;
  amount: string;
}

/** Who is paid: a programme's record of a child (a beneficiary, a case). */
export interface RollPayee {
  id: string;
  childId: string;
}

export interface PlannedTransfer<Payee extends RollPayee, Entry extends RollMonthEntry = RollMonthEntry> {
  transferNo: number;
  payee: Payee;
  entries: Entry[];
  amount: string;
}

export interface PlannedHold<Payee extends RollPayee, Reason extends string = string> {
  payee: Payee;
  reason: Reason;
  months: string[];
  amount: string;
}

export interface MonthlyRollPlan<Payee extends RollPayee, Entry extends RollMonthEntry = RollMonthEntry, Reason extends string = string> {
  transfers: PlannedTransfer<Payee, Entry>[];
  held: PlannedHold<Payee, Reason>[];
}

export interface MonthlyRollPlanInput<Payee extends RollPayee, Entry extends RollMonthEntry, Reason extends string> {
  month: string;
  payees: readonly Payee[];
  /** Months of each child already in a live entry of any roll of the programme, across all of its records. */
  liveMonthsByChild: ReadonlyMap<string, ReadonlySet<string>>;
  /** The transfer order: the programme's numbering. */
  compare(a: Payee, b: Payee): number;
  /** The payee's due entries up to and including the month, leaving out the child's months in `taken`. */
  due(payee: Payee, throughMonth: string, taken: ReadonlySet<string>): Entry[];
  /** Why the payee is held in this roll, the first reason that applies; else null. */
  holdReason(payee: Payee, rollMonth: string): Reason | null;
}

/**
 * Unicode code point order, as PostgreSQL's COLLATE "C" sorts UTF-8 text. JavaScript's `<`
 * compares UTF-16 code units, which differs for characters outside the Basic Multilingual Plane:
 * their surrogates (D800–DFFF) must sort after E000–FFFF. Compared unit by unit without copying
 * (a province's roll sorts tens of thousands of names).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index++) {
    const left = a.charCodeAt(index);
    const right = b.charCodeAt(index);
    if (left !== right) return codePointRank(left) - codePointRank(right);
  }
  return a.length - b.length;
}

/** A UTF-16 unit's rank in code point order: surrogates above the rest of the BMP. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

/**
 * Plans a roll a slice of payees at a time (`next`), so that a caller holding an event loop can
 * let other work run between slices of a province's tens of thousands; the plan is the same as
 * planMonthlyRoll's.
 */
export function createMonthlyRollPlanner<Payee extends RollPayee, Entry extends RollMonthEntry, Reason extends string>(input: MonthlyRollPlanInput<Payee, Entry, Reason>) {
  const ordered = [...input.payees].sort(input.compare);
  const transfers: PlannedTransfer<Payee, Entry>[] = [];
  const held: PlannedHold<Payee, Reason>[] = [];
  // A child with several records: the months one of them takes are not the others' to take.
  const recordsOfChild = new Map<string, number>();
  for (const payee of ordered) recordsOfChild.set(payee.childId, (recordsOfChild.get(payee.childId) ?? 0) + 1);
  const taken = new Map<string, Set<string>>();
  const none = new Set<string>();
  let position = 0;
  return {
    get done() {
      return position >= ordered.length;
    },
    next(limit: number) {
      const end = Math.min(ordered.length, position + limit);
      for (; position < end; position++) {
        const payee = ordered[position]!;
        const shared = recordsOfChild.get(payee.childId)! > 1;
        let months: ReadonlySet<string> = input.liveMonthsByChild.get(payee.childId) ?? none;
        if (shared) {
          if (!taken.has(payee.childId)) taken.set(payee.childId, new Set(months));
          months = taken.get(payee.childId)!;
        }
        const entries = input.due(payee, input.month, months);
        if (entries.length === 0) continue;
        if (shared) for (const entry of entries) (months as Set<string>).add(entry.month);
        const amount = formatMoney(sumMoney(entries.map((entry) => money(entry.amount))));
        const reason = input.holdReason(payee, input.month);
        if (reason !== null) held.push({ payee, reason, months: entries.map((entry) => entry.month), amount });
        else transfers.push({ transferNo: transfers.length + 1, payee, entries, amount });
      }
    },
    plan(): MonthlyRollPlan<Payee, Entry, Reason> {
      return { transfers, held };
    },
  };
}

/** The whole plan at once (tests; a small region). */
export function planMonthlyRoll<Payee extends RollPayee, Entry extends RollMonthEntry, Reason extends string>(input: MonthlyRollPlanInput<Payee, Entry, Reason>): MonthlyRollPlan<Payee, Entry, Reason> {
  const planner = createMonthlyRollPlanner(input);
  planner.next(Number.POSITIVE_INFINITY);
  return planner.plan();
}
