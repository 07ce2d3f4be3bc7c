import { monthRange } from './calendar.js';
import { lastPayableMonth } from './monthlyRollRule.js';
import { formatMoney, money } from './money.js';
import type { LivingArrangement, ProtectionCategory } from './protectionVocabulary.js';
import { standardInForce } from './standardInForce.js';

// The basic-living payments of children in difficulty (基本生活费, protection.md §8), pure: which
// months of a recognised case are payable, at which standard and amount. No I/O and no clock: the
// caller reads the case's facts and passes the month up to which it pays.
//
// A case is payable in a month when its categories that month include `orphan` or
// `de_facto_unsupported`, or it has `hivAffected` (paid at the orphan rate). It gets the highest
// that applies (就高不就低): orphan and hivAffected the orphan standard of that month's living
// arrangement (institution or scattered), de_facto_unsupported its own. The amounts are compared,
// not the kinds: a region may set deFactoUnsupported above orphanScattered.

/** The standards a roll totals by (`byStandard`), in the order that breaks a tie of amounts. */
export const STANDARD_KINDS = ['orphanInstitution', 'orphanScattered', 'deFactoUnsupported'] as const;
export type StandardKind = (typeof STANDARD_KINDS)[number];

/** A basic-living standard: monthly amounts (money strings) from a month on, of a region or the default. */
export interface ProtectionStandard {
  id: string;
  effectiveFrom: string;
  /** Null for the default of every region. */
  regionCode: string | null;
  orphanInstitutionMonthly: string;
  orphanScatteredMonthly: string;
  deFactoUnsupportedMonthly: string;
}

/** The categories found, from a month on (protection_case_categories): the first is the recognition's. */
export interface CategoriesFromMonth {
  fromMonth: string;
  categories: readonly ProtectionCategory[];
}

/** The living arrangement, from a month on (protection_case_living): the first is the recognition's. */
export interface LivingFromMonth {
  fromMonth: string;
  livingArrangement: LivingArrangement;
}

/** What the rule needs of a recognised (or exited) case. */
export interface ProtectionPaymentFacts {
  /** The first month covered (§4.5). */
  coverFrom: string;
  /** The month of the 18th birthday, or the later expected graduation while studying (§5). */
  lastMonth: string;
  /** The first month an exit no longer covers; null without an exit. */
  exitFromMonth: string | null;
  hivAffected: boolean;
  /** The categories history, any order. */
  categories: readonly CategoriesFromMonth[];
  /** The living-arrangement history, any order. */
  living: readonly LivingFromMonth[];
  /** The case's own categories, for a month before every categories row. */
  caseCategories: readonly ProtectionCategory[];
}

/** The entry a month gets: its standard kind, the standard's id and the amount, a money string ("600.00"). */
export interface ProtectionMonthEntry {
  month: string;
  kind: StandardKind;
  standardId: string;
  amount: string;
}

const AMOUNT_FIELDS: Record<StandardKind, 'orphanInstitutionMonthly' | 'orphanScatteredMonthly' | 'deFactoUnsupportedMonthly'> = {
  orphanInstitution: 'orphanInstitutionMonthly',
  orphanScattered: 'orphanScatteredMonthly',
  deFactoUnsupported: 'deFactoUnsupportedMonthly',
};

/** A standard's monthly amount for a kind, as a money string with two places. */
export function standardAmount(standard: ProtectionStandard, kind: StandardKind): string {
  return formatMoney(money(standard[AMOUNT_FIELDS[kind]]));
}

/** The row of a history in force in a month: the latest from that month or before. */
function inForce<Row extends { fromMonth: string }>(rows: readonly Row[], month: string): Row | undefined {
  let found: Row | undefined;
  for (const row of rows) if (row.fromMonth <= month && (!found || row.fromMonth > found.fromMonth)) found = row;
  return found;
}

/** The categories of a month: the latest row from that month or before, else the case's own. */
export function categoriesIn(facts: Pick<ProtectionPaymentFacts, 'categories' | 'caseCategories'>, month: string): readonly ProtectionCategory[] {
  return inForce(facts.categories, month)?.categories ?? facts.caseCategories;
}

/** The living arrangement of a month: the latest row from that month or before, else the first recorded, else scattered (the default of recognition). */
export function livingArrangementIn(facts: Pick<ProtectionPaymentFacts, 'living'>, month: string): LivingArrangement {
  const found = inForce(facts.living, month);
  if (found) return found.livingArrangement;
  let first: LivingFromMonth | undefined;
  for (const row of facts.living) if (!first || row.fromMonth < first.fromMonth) first = row;
  return first?.livingArrangement ?? 'scattered';
}

/** The kinds that apply in a month, in STANDARD_KINDS order; none when the case is not payable that month. */
export function applicableKinds(facts: ProtectionPaymentFacts, month: string): StandardKind[] {
  const categories = categoriesIn(facts, month);
  const kinds: StandardKind[] = [];
  if (facts.hivAffected || categories.includes('orphan')) kinds.push(livingArrangementIn(facts, month) === 'institution' ? 'orphanInstitution' : 'orphanScattered');
  if (categories.includes('de_facto_unsupported')) kinds.push('deFactoUnsupported');
  return kinds;
}

/** The kind a month is paid at with that month's standard: the highest amount that applies (ties in STANDARD_KINDS order); null when none applies. */
export function standardKindFor(facts: ProtectionPaymentFacts, month: string, standard: ProtectionStandard): StandardKind | null {
  let best: StandardKind | null = null;
  for (const kind of applicableKinds(facts, month)) {
    if (best === null || money(standard[AMOUNT_FIELDS[kind]]).greaterThan(money(standard[AMOUNT_FIELDS[best]]))) best = kind;
  }
  return best;
}

/** The entry a month would get: none when the case is not payable that month, no standard covers it, or its amount is 0.00. */
export function protectionMonthEntry(facts: ProtectionPaymentFacts, month: string, regionCode: string, standards: readonly ProtectionStandard[]): ProtectionMonthEntry | undefined {
  const standard = standardInForce(month, regionCode, standards);
  if (!standard) return undefined;
  const kind = standardKindFor(facts, month, standard);
  if (kind === null) return undefined;
  const amount = standardAmount(standard, kind);
  if (amount === '0.00') return undefined;
  return { month, kind, standardId: standard.id, amount };
}

/** The last month of the span up to `throughMonth`: the last covered month, before an exit's fromMonth (the roll kit's rule). */
export { lastPayableMonth };

/** The months of the span up to and including `throughMonth`: coverFrom … min(lastMonth, exitFromMonth − 1, throughMonth). */
export function coveredMonths(facts: Pick<ProtectionPaymentFacts, 'coverFrom' | 'lastMonth' | 'exitFromMonth'>, throughMonth: string): string[] {
  return monthRange(facts.coverFrom, lastPayableMonth(facts, throughMonth));
}

/** The entries of every payable month of the span up to `throughMonth`, but the months given (already in a live entry). */
export function protectionEntries(
  facts: ProtectionPaymentFacts,
  throughMonth: string,
  regionCode: string,
  standards: readonly ProtectionStandard[],
  skippedMonths: ReadonlySet<string> = new Set(),
): ProtectionMonthEntry[] {
  const entries: ProtectionMonthEntry[] = [];
  for (const month of coveredMonths(facts, throughMonth)) {
    if (skippedMonths.has(month)) continue;
    const entry = protectionMonthEntry(facts, month, regionCode, standards);
    if (entry) entries.push(entry);
  }
  return entries;
}
