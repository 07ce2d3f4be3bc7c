import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, monthRange } from './calendar.js';
import { formatMoney, money, sumMoney } from './money.js';
import { lastCoveredMonth } from './protectionAgeRule.js';
import {
  STANDARD_KINDS,
  applicableKinds,
  categoriesIn,
  coveredMonths,
  livingArrangementIn,
  protectionEntries,
  protectionMonthEntry,
  standardAmount,
  standardKindFor,
  type ProtectionPaymentFacts,
  type ProtectionStandard,
  type StandardKind,
} from './protectionPaymentRule.js';
import { PROTECTION_CATEGORIES, type LivingArrangement, type ProtectionCategory } from './protectionVocabulary.js';
import { payable } from './protectionRoutesRule.js';
import { standardInForce } from './standardInForce.js';

// The seeded default (protection.md §8): national minimums from 2019-01.
const SEEDED: ProtectionStandard = {
  id: 'seeded',
  effectiveFrom: '2019-01',
  regionCode: null,
  orphanInstitutionMonthly: '1000.00',
  orphanScatteredMonthly: '600.00',
  deFactoUnsupportedMonthly: '600.00',
};
const REGION = '511702';

/** A recognised case: its recognition's categories and living arrangement from coverFrom. */
function recognised(options: {
  categories: ProtectionCategory[];
  coverFrom: string;
  lastMonth?: string;
  living?: LivingArrangement;
  hivAffected?: boolean;
  exitFromMonth?: string | null;
  changes?: { categories?: { fromMonth: string; categories: ProtectionCategory[] }[]; living?: { fromMonth: string; livingArrangement: LivingArrangement }[] };
}): ProtectionPaymentFacts {
  return {
    coverFrom: options.coverFrom,
    lastMonth: options.lastMonth ?? '2040-12',
    exitFromMonth: options.exitFromMonth ?? null,
    hivAffected: options.hivAffected ?? false,
    categories: [{ fromMonth: options.coverFrom, categories: options.categories }, ...(options.changes?.categories ?? [])],
    living: [{ fromMonth: options.coverFrom, livingArrangement: options.living ?? 'scattered' }, ...(options.changes?.living ?? [])],
    caseCategories: options.categories,
  };
}

const total = (amounts: readonly { amount: string }[]) => formatMoney(sumMoney(amounts.map((entry) => money(entry.amount))));
const byStandard = (entries: readonly { kind: StandardKind; amount: string }[]) =>
  Object.fromEntries(STANDARD_KINDS.map((kind) => [kind, total(entries.filter((entry) => entry.kind === kind))]));

describe('worked example 3: age 18 (born 2008-03-15, de_facto_unsupported, scattered, coverFrom 2025-07)', () => {
  const facts = recognised({ categories: ['de_facto_unsupported'], coverFrom: '2025-07', lastMonth: lastCoveredMonth('2008-03-15', null) });

  it('without studying: 2025-07 … 2026-03 = 9 × 600.00 = 5400.00, nothing from April 2026', () => {
    const entries = protectionEntries(facts, '2026-12', REGION, [SEEDED]);
    expect(entries.map((entry) => entry.month)).toEqual(monthRange('2025-07', '2026-03'));
    expect(entries.every((entry) => entry.kind === 'deFactoUnsupported' && entry.amount === '600.00' && entry.standardId === 'seeded')).toBe(true);
    expect(total(entries)).toBe('5400.00');
    expect(protectionEntries(facts, '2026-12', REGION, [SEEDED], new Set(monthRange('2025-07', '2026-03')))).toEqual([]);
  });

  it('studying to 2027-06: 2026-04 … 2027-06 = 15 × 600.00 = 9000.00; roll 2026-05 pays 2026-04 and 2026-05 = 1200.00', () => {
    const studying = { ...facts, lastMonth: lastCoveredMonth('2008-03-15', '2027-06') };
    const paidBefore = new Set(monthRange('2025-07', '2026-03'));
    expect(total(protectionEntries(studying, '2026-05', REGION, [SEEDED], paidBefore))).toBe('1200.00');
    const after = protectionEntries(studying, '2027-12', REGION, [SEEDED], paidBefore);
    expect(after.map((entry) => entry.month)).toEqual(monthRange('2026-04', '2027-06'));
    expect([after.length, total(after)]).toEqual([15, '9000.00']);
  });
});

describe('worked example 4: roll 2026-01 (A orphan scattered from 2025-11; B orphan from 2025-12, institution from 2026-01; C de_facto_unsupported from 2026-01)', () => {
  const a = recognised({ categories: ['orphan'], coverFrom: '2025-11' });
  const b = recognised({ categories: ['orphan'], coverFrom: '2025-12', changes: { living: [{ fromMonth: '2026-01', livingArrangement: 'institution' }] } });
  const c = recognised({ categories: ['de_facto_unsupported'], coverFrom: '2026-01' });

  it('A: 2025-11, 2025-12, 2026-01 at 600.00 = 1800.00 (orphanScattered)', () => {
    const entries = protectionEntries(a, '2026-01', REGION, [SEEDED]);
    expect(entries.map((entry) => [entry.month, entry.kind, entry.amount])).toEqual([
      ['2025-11', 'orphanScattered', '600.00'],
      ['2025-12', 'orphanScattered', '600.00'],
      ['2026-01', 'orphanScattered', '600.00'],
    ]);
    expect(total(entries)).toBe('1800.00');
  });

  it('B: 600.00 (scattered, 2025-12) + 1000.00 (institution, 2026-01) = 1600.00', () => {
    const entries = protectionEntries(b, '2026-01', REGION, [SEEDED]);
    expect(entries.map((entry) => [entry.month, entry.kind, entry.amount])).toEqual([
      ['2025-12', 'orphanScattered', '600.00'],
      ['2026-01', 'orphanInstitution', '1000.00'],
    ]);
    expect(total(entries)).toBe('1600.00');
  });

  it('C: 600.00 (deFactoUnsupported); the roll totals 4000.00, arrears 1800.00, byStandard 1000.00 / 2400.00 / 600.00', () => {
    const entries = [a, b, c].flatMap((facts) => protectionEntries(facts, '2026-01', REGION, [SEEDED]));
    expect(protectionEntries(c, '2026-01', REGION, [SEEDED])).toEqual([{ month: '2026-01', kind: 'deFactoUnsupported', standardId: 'seeded', amount: '600.00' }]);
    expect(total(entries)).toBe('4000.00');
    expect(total(entries.filter((entry) => entry.month < '2026-01'))).toBe('1800.00');
    expect(byStandard(entries)).toEqual({ orphanInstitution: '1000.00', orphanScattered: '2400.00', deFactoUnsupported: '600.00' });
  });

  it('rolls 2026-02 and 2026-03: A 600.00, B 1000.00 each month; A adopted with fromMonth 2026-03 is paid through 2026-02 only', () => {
    const paidIn2026_01 = new Set(monthRange('2025-11', '2026-01'));
    expect(protectionEntries(a, '2026-02', REGION, [SEEDED], paidIn2026_01).map((entry) => entry.amount)).toEqual(['600.00']);
    expect(protectionEntries(b, '2026-03', REGION, [SEEDED], new Set(monthRange('2025-12', '2026-02'))).map((entry) => entry.amount)).toEqual(['1000.00']);
    const exited = { ...a, exitFromMonth: '2026-03' };
    expect(coveredMonths(exited, '2026-12')).toEqual(monthRange('2025-11', '2026-02'));
  });
});

describe('the kind of a month: the highest that applies (就高不就低)', () => {
  // A region that pays a de facto unsupported child above a scattered orphan.
  const generous: ProtectionStandard = { ...SEEDED, id: 'generous', regionCode: REGION, effectiveFrom: '2026-01', orphanInstitutionMonthly: '1500.00', orphanScatteredMonthly: '1100.00', deFactoUnsupportedMonthly: '1200.00' };

  it.each([
    [['orphan'], 'scattered', false, SEEDED, 'orphanScattered', '600.00', 'an orphan living scattered'],
    [['orphan'], 'institution', false, SEEDED, 'orphanInstitution', '1000.00', 'an orphan in an institution'],
    [['poor_family'], 'institution', true, SEEDED, 'orphanInstitution', '1000.00', 'hivAffected is paid at the orphan rate of its living arrangement'],
    [['poor_family'], 'scattered', true, SEEDED, 'orphanScattered', '600.00', 'hivAffected, scattered'],
    [['de_facto_unsupported'], 'scattered', false, SEEDED, 'deFactoUnsupported', '600.00', 'de facto unsupported'],
    [['de_facto_unsupported'], 'institution', false, SEEDED, 'deFactoUnsupported', '600.00', 'de facto unsupported in an institution: its own standard'],
    [['orphan', 'de_facto_unsupported'], 'scattered', false, SEEDED, 'orphanScattered', '600.00', 'a tie of 600.00 goes to the first kind'],
    [['de_facto_unsupported'], 'institution', true, SEEDED, 'orphanInstitution', '1000.00', 'hivAffected in an institution beats de facto unsupported'],
    [['orphan', 'de_facto_unsupported'], 'scattered', false, generous, 'deFactoUnsupported', '1200.00', 'a region paying de facto unsupported more: 1200.00 over 1100.00'],
    [['orphan', 'de_facto_unsupported'], 'institution', false, generous, 'orphanInstitution', '1500.00', 'the same region, an institution: 1500.00 over 1200.00'],
    [['poor_family', 'severe_illness_disability'], 'scattered', false, SEEDED, null, null, 'not payable: no basic-living category, no hivAffected'],
  ] as const)('%j, %s, hivAffected %s, standard %o → %s %s (%s)', (categories, living, hivAffected, standard, kind, amount, _why) => {
    const facts = recognised({ categories: [...categories], coverFrom: '2026-01', living, hivAffected });
    expect(standardKindFor(facts, '2026-02', standard)).toBe(kind);
    const entry = protectionMonthEntry(facts, '2026-02', REGION, [SEEDED, standard]);
    expect(entry ? [entry.kind, entry.amount, entry.standardId] : null).toEqual(kind === null ? null : [kind, amount, standard.id]);
  });

  it('a month before every standard, or a standard of 0.00 for its kind, gives no entry', () => {
    const facts = recognised({ categories: ['orphan'], coverFrom: '2018-11' });
    expect(protectionMonthEntry(facts, '2018-12', REGION, [SEEDED])).toBeUndefined();
    expect(protectionEntries(facts, '2019-02', REGION, [SEEDED]).map((entry) => entry.month)).toEqual(['2019-01', '2019-02']);
    const nothing = { ...SEEDED, id: 'nothing', regionCode: REGION, effectiveFrom: '2019-02', orphanScatteredMonthly: '0.00' };
    expect(protectionEntries(facts, '2019-03', REGION, [SEEDED, nothing]).map((entry) => entry.month)).toEqual(['2019-01']);
  });

  it('a category change from a month: 2026-01 orphan scattered 600.00; de_facto_unsupported only from 2026-02 under the region’s 1200.00; poor_family from 2026-03 not payable', () => {
    const facts = recognised({
      categories: ['orphan'],
      coverFrom: '2026-01',
      changes: { categories: [{ fromMonth: '2026-03', categories: ['poor_family'] }, { fromMonth: '2026-02', categories: ['de_facto_unsupported'] }] },
    });
    expect(protectionEntries(facts, '2026-04', REGION, [SEEDED, generous]).map((entry) => [entry.month, entry.kind, entry.amount])).toEqual([
      ['2026-01', 'orphanScattered', '1100.00'],
      ['2026-02', 'deFactoUnsupported', '1200.00'],
    ]);
  });

  it('before every row the case’s own categories and the first living arrangement apply', () => {
    const facts = recognised({ categories: ['orphan'], coverFrom: '2026-01', living: 'institution' });
    expect(categoriesIn({ ...facts, caseCategories: ['temporary'] }, '2025-12')).toEqual(['temporary']);
    expect(livingArrangementIn(facts, '2025-12')).toBe('institution');
    expect(livingArrangementIn({ living: [] }, '2025-12')).toBe('scattered');
  });
});

describe('properties', () => {
  const month = fc.integer({ min: 0, max: 120 }).map((offset) => addMonths('2018-01', offset));
  const amount = fc.integer({ min: 0, max: 300_000 }).map((fen) => formatMoney(new Decimal(fen).dividedBy(100)));
  const standard = fc.record({
    id: fc.uuid(),
    effectiveFrom: month,
    regionCode: fc.constantFrom(null, REGION, '511781'),
    orphanInstitutionMonthly: amount,
    orphanScatteredMonthly: amount,
    deFactoUnsupportedMonthly: amount,
  });
  const categories = fc.uniqueArray(fc.constantFrom(...PROTECTION_CATEGORIES), { minLength: 1, maxLength: 4 });
  const facts: fc.Arbitrary<ProtectionPaymentFacts> = fc.record({
    coverFrom: month,
    lastMonth: month,
    exitFromMonth: fc.option(month, { nil: null }),
    hivAffected: fc.boolean(),
    categories: fc.array(fc.record({ fromMonth: month, categories }), { maxLength: 4 }),
    living: fc.array(fc.record({ fromMonth: month, livingArrangement: fc.constantFrom<LivingArrangement>('scattered', 'institution') }), { maxLength: 3 }),
    caseCategories: categories,
  });
  const standards = fc.array(standard, { maxLength: 6 });

  it('no entry outside coverFrom … min(lastMonth, exitFromMonth − 1, throughMonth), none twice, none skipped month', () => {
    fc.assert(
      fc.property(facts, standards, month, fc.uniqueArray(month, { maxLength: 6 }), (subject, versions, through, skipped) => {
        const entries = protectionEntries(subject, through, REGION, versions, new Set(skipped));
        const months = entries.map((entry) => entry.month);
        expect(new Set(months).size).toBe(months.length);
        for (const entryMonth of months) {
          expect(entryMonth >= subject.coverFrom && entryMonth <= subject.lastMonth && entryMonth <= through).toBe(true);
          if (subject.exitFromMonth !== null) expect(entryMonth < subject.exitFromMonth).toBe(true);
          expect(skipped).not.toContain(entryMonth);
        }
      }),
    );
  });

  it('an amount is never negative nor zero, and is the highest of the month’s standard among the kinds that apply (never above its highest amount)', () => {
    fc.assert(
      fc.property(facts, standards, month, (subject, versions, asked) => {
        const entry = protectionMonthEntry(subject, asked, REGION, versions);
        if (!entry) return;
        const inForce = standardInForce(asked, REGION, versions)!;
        expect(entry.standardId).toBe(inForce.id);
        expect(money(entry.amount).greaterThan(0)).toBe(true);
        const amounts = STANDARD_KINDS.map((kind) => money(standardAmount(inForce, kind)));
        expect(money(entry.amount).lessThanOrEqualTo(Decimal.max(...amounts))).toBe(true);
        for (const kind of applicableKinds(subject, asked)) expect(money(entry.amount).greaterThanOrEqualTo(money(standardAmount(inForce, kind)))).toBe(true);
        expect(applicableKinds(subject, asked)).toContain(entry.kind);
      }),
    );
  });

  it('the kind is null exactly when the month has no orphan nor de_facto_unsupported category and no hivAffected', () => {
    fc.assert(
      fc.property(facts, standard, month, (subject, version, asked) => {
        expect(standardKindFor(subject, asked, version) === null).toBe(!payable(categoriesIn(subject, asked), subject.hivAffected));
      }),
    );
  });
});
