import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import {
  addMonths,
  compareCodePoints,
  holdReasonFor,
  lastAllowanceMonth,
  maskAccountNumber,
  monthRange,
  planRoll,
  reviewOverdue,
  standardFor,
  type AllowanceBeneficiary,
  type AllowanceStandard,
} from './allowanceRule.js';

const DEFAULT: AllowanceStandard = { id: 'default', effectiveFrom: '2000-01', regionCode: null, careMonthly: '30.00', nursingSupplementMonthly: '10.00' };

function beneficiary(overrides: Partial<AllowanceBeneficiary> = {}): AllowanceBeneficiary {
  return {
    id: 'b1',
    childId: 'c1',
    childName: '张小明',
    communityName: '朝阳社区',
    communityCode: null,
    startMonth: '2025-09',
    lastMonth: '2036-03',
    exitFromMonth: null,
    lastVerifiedOn: '2025-09-26',
    tiers: [{ fromMonth: '2025-09', tier: 'care' }],
    openHolds: [],
    bank: '四川农信',
    accountName: '张大山',
    accountNumber: '6214670000000000001',
    ...overrides,
  };
}

const plan = (beneficiaries: AllowanceBeneficiary[], month: string, options: { standards?: AllowanceStandard[]; live?: Map<string, Set<string>> } = {}) =>
  planRoll({ month, regionCode: '511702', beneficiaries, standards: options.standards ?? [DEFAULT], liveMonthsByChild: options.live ?? new Map() });

describe('months', () => {
  it.each([
    ['2025-12', 1, '2026-01'],
    ['2026-01', -1, '2025-12'],
    ['2025-12', -12, '2024-12'],
    ['2024-02', 25, '2026-03'],
  ])('%s plus %i months is %s', (month, n, expected) => expect(addMonths(month, n)).toBe(expected));

  it('the 18th birthday month is the last month paid: born 2008-02-29 → 2026-02', () => {
    expect(lastAllowanceMonth('2008-02-29')).toBe('2026-02');
    expect(lastAllowanceMonth('2018-03-03')).toBe('2036-03');
  });
});

describe('standards and tiers', () => {
  const own: AllowanceStandard = { id: 'own', effectiveFrom: '2026-01', regionCode: '511702', careMonthly: '40.00', nursingSupplementMonthly: '15.00' };
  const laterDefault: AllowanceStandard = { id: 'later', effectiveFrom: '2026-06', regionCode: null, careMonthly: '50.00', nursingSupplementMonthly: '20.00' };
  const elsewhere: AllowanceStandard = { id: 'elsewhere', effectiveFrom: '2025-01', regionCode: '511781', careMonthly: '99.00', nursingSupplementMonthly: '99.00' };
  it.each([
    ['2025-12', 'default'],
    ['2026-01', 'own'],
    ['2026-07', 'own'],
  ])('in %s region 511702 pays by the %s standard (the region’s own beats a later default)', (month, id) => {
    expect(standardFor(month, '511702', [DEFAULT, own, laterDefault, elsewhere]).id).toBe(id);
  });

  it('a standard changing mid-arrears: Oct–Dec 2025 at 30.00, Jan–Feb 2026 at 40.00 = 170.00', () => {
    const { transfers } = plan([beneficiary({ startMonth: '2025-10' })], '2026-02', { standards: [DEFAULT, own] });
    expect(transfers[0]!.entries.map((entry) => entry.amount)).toEqual(['30.00', '30.00', '30.00', '40.00', '40.00']);
    expect(transfers[0]!.amount).toBe('170.00');
  });

  it('a tier change from 2026-01: Dec 2025 care 30.00 from the county, Jan 2026 nursing supplement 10.00 from the hardship fund', () => {
    const { transfers } = plan(
      [beneficiary({ startMonth: '2025-12', tiers: [{ fromMonth: '2025-12', tier: 'care' }, { fromMonth: '2026-01', tier: 'nursing_supplement' }] })],
      '2026-01',
    );
    expect(transfers[0]!.entries).toEqual([
      { month: '2025-12', tier: 'care', fund: 'county', standardId: 'default', amount: '30.00' },
      { month: '2026-01', tier: 'nursing_supplement', fund: 'hardship', standardId: 'default', amount: '10.00' },
    ]);
  });
});

describe('what a roll holds', () => {
  it('accepted 2025-09-26, roll 2025-12: arrears Sep–Nov and December, 4 × 30.00 = 120.00', () => {
    const { transfers } = plan([beneficiary()], '2025-12');
    expect(transfers[0]!.entries.map((entry) => entry.month)).toEqual(['2025-09', '2025-10', '2025-11', '2025-12']);
    expect(transfers[0]!.amount).toBe('120.00');
  });

  it('the 18th-birthday month is paid, the next is not: last month 2026-02, roll 2026-04 pays Jan–Feb', () => {
    const { transfers } = plan([beneficiary({ startMonth: '2026-01', lastMonth: '2026-02', lastVerifiedOn: '2026-01-05' })], '2026-04');
    expect(transfers[0]!.entries.map((entry) => entry.month)).toEqual(['2026-01', '2026-02']);
  });

  it('an exit from 2026-02 leaves January payable and nothing after', () => {
    const { transfers } = plan([beneficiary({ startMonth: '2026-01', exitFromMonth: '2026-02', lastVerifiedOn: '2026-01-05' })], '2026-05');
    expect(transfers[0]!.entries.map((entry) => entry.month)).toEqual(['2026-01']);
  });

  it('months already in a live entry of the child (any record) are not due again', () => {
    const { transfers } = plan([beneficiary()], '2025-12', { live: new Map([['c1', new Set(['2025-09', '2025-10'])]]) });
    expect(transfers[0]!.entries.map((entry) => entry.month)).toEqual(['2025-11', '2025-12']);
  });

  it('a held beneficiary gets no transfer; the roll lists the reason and what waits: 3 months, 90.00', () => {
    const { transfers, held } = plan([beneficiary({ startMonth: '2025-10', openHolds: ['objection', 'bank_failure'] })], '2025-12');
    expect(transfers).toEqual([]);
    expect(held).toEqual([{ beneficiaryId: 'b1', childName: '张小明', communityName: '朝阳社区', reason: 'bank_failure', months: ['2025-10', '2025-11', '2025-12'], amount: '90.00' }]);
  });

  it('transfers are numbered by community, then name in code point order, then id', () => {
    const { transfers } = plan(
      [
        beneficiary({ id: 'b3', childId: 'c3', communityName: '西城社区', childName: '李四' }),
        beneficiary({ id: 'b2', childId: 'c2', communityName: '朝阳社区', childName: '王五' }),
        beneficiary({ id: 'b1', childId: 'c1', communityName: '朝阳社区', childName: '王五' }),
        beneficiary({ id: 'b4', childId: 'c4', communityName: '朝阳社区', childName: '𠀋一' }),
      ],
      '2025-12',
    );
    expect(transfers.map((transfer) => [transfer.transferNo, transfer.beneficiary.id])).toEqual([
      [1, 'b1'],
      [2, 'b2'],
      [3, 'b4'],
      [4, 'b3'],
    ]);
  });
});

describe('review overdue', () => {
  it.each([
    ['2024-11-30', '2025-12', true],
    ['2024-12-01', '2025-12', false],
    [null, '2025-12', true],
  ])('verified %s, roll %s: held %s', (verifiedOn, month, expected) => expect(reviewOverdue(verifiedOn, month)).toBe(expected));

  it('bank_failure comes before manual, objection and review_overdue', () => {
    expect(holdReasonFor({ openHolds: ['manual', 'bank_failure'], lastVerifiedOn: null }, '2025-12')).toBe('bank_failure');
    expect(holdReasonFor({ openHolds: [], lastVerifiedOn: '2020-01-01' }, '2025-12')).toBe('review_overdue');
    expect(holdReasonFor({ openHolds: [], lastVerifiedOn: '2025-01-01' }, '2025-12')).toBeNull();
  });
});

describe('what documents show', () => {
  it('account numbers show the first and last 4 digits', () => expect(maskAccountNumber('6214670000000000001')).toBe('6214***********0001'));

  it('code point order puts a supplementary-plane character after every BMP one', () => {
    expect(compareCodePoints('𠀋', '\uffee')).toBeGreaterThan(0);
    expect('𠀋' < '\uffee').toBe(true);
  });
});

describe('properties', () => {
  const month = fc.integer({ min: 2020 * 12, max: 2030 * 12 + 11 }).map((index) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`);
  const beneficiaryArbitrary = fc
    .record({
      start: month,
      span: fc.integer({ min: 0, max: 60 }),
      exitAfter: fc.option(fc.integer({ min: 0, max: 70 }), { nil: null }),
      tierChange: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null }),
      held: fc.boolean(),
    })
    .map(({ start, span, exitAfter, tierChange, held }, index = 0) =>
      beneficiary({
        id: `b${index}`,
        startMonth: start,
        lastMonth: addMonths(start, span),
        exitFromMonth: exitAfter === null ? null : addMonths(start, exitAfter),
        lastVerifiedOn: '2100-01-01',
        tiers: tierChange === null ? [{ fromMonth: start, tier: 'care' }] : [{ fromMonth: start, tier: 'care' }, { fromMonth: addMonths(start, tierChange), tier: 'nursing_supplement' }],
        openHolds: held ? ['manual'] : [],
      }),
    );

  it('a roll pays only payable months, never after the roll month, the 18th-birthday month or an exit, never a live month, each at most once', () => {
    fc.assert(
      fc.property(beneficiaryArbitrary, month, fc.array(month, { maxLength: 10 }), (subject, rollMonth, liveMonths) => {
        const live = new Set(liveMonths);
        const { transfers, held } = plan([subject], rollMonth, { live: new Map([['c1', live]]) });
        const months = [...transfers.flatMap((transfer) => transfer.entries.map((entry) => entry.month)), ...held.flatMap((item) => item.months)];
        expect(new Set(months).size).toBe(months.length);
        for (const paid of months) {
          expect(paid >= subject.startMonth && paid <= subject.lastMonth && paid <= rollMonth).toBe(true);
          if (subject.exitFromMonth) expect(paid < subject.exitFromMonth).toBe(true);
          expect(live.has(paid)).toBe(false);
        }
        // Every payable month not live is either in the transfer or waits with the hold.
        const expected = monthRange(subject.startMonth, rollMonth).filter(
          (candidate) => candidate <= subject.lastMonth && (!subject.exitFromMonth || candidate < subject.exitFromMonth) && !live.has(candidate),
        );
        expect(months).toEqual(expected);
        if (subject.openHolds.length > 0) expect(transfers).toEqual([]);
      }),
    );
  });

  it('a transfer’s amount is the sum of its entries and never negative', () => {
    fc.assert(
      fc.property(fc.array(beneficiaryArbitrary, { maxLength: 5 }), month, (subjects, rollMonth) => {
        const unique = subjects.map((subject, index) => ({ ...subject, id: `b${index}`, childId: `c${index}` }));
        for (const transfer of plan(unique, rollMonth).transfers) {
          const total = sumMoney(transfer.entries.map((entry) => money(entry.amount)));
          expect(transfer.amount).toBe(formatMoney(total));
          expect(total.greaterThan(0)).toBe(true);
        }
      }),
    );
  });
});
