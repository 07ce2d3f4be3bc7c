import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../domain/money.js';
import {
  addMonths,
  beneficiaryStatus,
  communityKey,
  compareCodePoints,
  createRollPlanner,
  holdReasonFor,
  lastAllowanceMonth,
  maskAccountNumber,
  monthRange,
  monthViews,
  planRoll,
  reviewOverdue,
  standardFor,
  startMonthOf,
  tierFor,
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
    expect(standardFor(month, '511702', [DEFAULT, own, laterDefault, elsewhere])!.id).toBe(id);
  });

  it('no standard before the first one (2000-01): 1999-12 is not covered, and a roll pays from 2000-01 only', () => {
    expect(standardFor('1999-12', '511702', [DEFAULT, own])).toBeUndefined();
    const { transfers } = plan([beneficiary({ startMonth: '1999-10', lastMonth: '2000-02', lastVerifiedOn: '2100-01-01', tiers: [{ fromMonth: '1999-10', tier: 'care' }] })], '2000-03');
    expect(transfers[0]!.entries.map((entry) => entry.month)).toEqual(['2000-01', '2000-02']);
  });

  it('the latest recorded tier change for a month decides it; an earlier one stays in the history', () => {
    expect(tierFor('2026-03', [{ fromMonth: '2025-09', tier: 'care' }, { fromMonth: '2026-01', tier: 'nursing_supplement' }])).toBe('nursing_supplement');
    // Recorded later from an earlier month: it supersedes the January change from then on.
    const history = [
      { fromMonth: '2025-09', tier: 'care' as const },
      { fromMonth: '2026-01', tier: 'nursing_supplement' as const },
      { fromMonth: '2025-12', tier: 'care' as const },
    ];
    expect(['2025-11', '2025-12', '2026-01', '2026-05'].map((month) => tierFor(month, history))).toEqual(['care', 'care', 'care', 'care']);
    expect(tierFor('2025-09', [{ fromMonth: '2025-09', tier: 'nursing_supplement' }, { fromMonth: '2025-09', tier: 'care' }])).toBe('care');
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

  it('two records of one child never pay a month twice, even if both span it', () => {
    const { transfers } = plan([beneficiary({ id: 'b1', startMonth: '2025-09' }), beneficiary({ id: 'b2', startMonth: '2025-11' })], '2025-12');
    expect(transfers.map((transfer) => [transfer.beneficiary.id, transfer.entries.map((entry) => entry.month)])).toEqual([['b1', ['2025-09', '2025-10', '2025-11', '2025-12']]]);
  });

  it('two villages of one name are told apart by code: numbered by name, then code (none first), then child', () => {
    const { transfers } = plan(
      [
        beneficiary({ id: 'b1', childId: 'c1', communityName: '新华村', communityCode: '511702002001', childName: '张三' }),
        beneficiary({ id: 'b2', childId: 'c2', communityName: '新华村', communityCode: '511702001001', childName: '王五' }),
        beneficiary({ id: 'b3', childId: 'c3', communityName: '新华村', communityCode: null, childName: '赵六' }),
      ],
      '2025-12',
    );
    expect(transfers.map((transfer) => transfer.beneficiary.id)).toEqual(['b3', 'b2', 'b1']);
    expect(communityKey({ communityName: '新华村', communityCode: '511702002001' })).not.toBe(communityKey({ communityName: '新华村', communityCode: '511702001001' }));
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
    expect(holdReasonFor({ openHolds: ['manual', 'bank_failure'], lastVerifiedOn: null, exitFromMonth: null }, '2025-12')).toBe('bank_failure');
    expect(holdReasonFor({ openHolds: [], lastVerifiedOn: '2020-01-01', exitFromMonth: null }, '2025-12')).toBe('review_overdue');
    expect(holdReasonFor({ openHolds: [], lastVerifiedOn: '2025-01-01', exitFromMonth: null }, '2025-12')).toBeNull();
  });

  it('an exit settles the facts a review checks: an exited record is never overdue, its stored holds still apply', () => {
    expect(holdReasonFor({ openHolds: [], lastVerifiedOn: '2020-01-01', exitFromMonth: '2025-06' }, '2025-12')).toBeNull();
    expect(holdReasonFor({ openHolds: ['objection'], lastVerifiedOn: '2020-01-01', exitFromMonth: '2025-06' }, '2025-12')).toBe('objection');
  });
});

describe('records', () => {
  it('a new record starts where the latest exit of an earlier one stopped, or at acceptance if later', () => {
    expect(startMonthOf('2025-12-01', ['2026-03'])).toBe('2026-03');
    expect(startMonthOf('2026-05-10', ['2026-03', '2025-01'])).toBe('2026-05');
    expect(startMonthOf('2025-12-01', [])).toBe('2025-12');
  });

  it('an approved record is ended, not active, once its last month is past; ended is never stored', () => {
    expect(beneficiaryStatus('active', '2025-11', '2025-11')).toBe('active');
    expect(beneficiaryStatus('active', '2025-11', '2025-12')).toBe('ended');
    expect(beneficiaryStatus('exited', '2025-11', '2025-12')).toBe('exited');
    expect(beneficiaryStatus('pending', '2025-11', '2025-12')).toBe('pending');
  });

  it('the per-month view: paid, in a roll (under any record of the child), due or held, not covered before the first standard', () => {
    const views = monthViews({
      beneficiary: beneficiary({ startMonth: '1999-11', lastMonth: '2000-04', tiers: [{ fromMonth: '1999-11', tier: 'care' }] }),
      throughMonth: '2000-06',
      regionCode: '511702',
      standards: [DEFAULT],
      entries: new Map([
        ['2000-01', { amount: '30.00', paid: true, rollId: 'r1', rollNumber: 'R-1' }],
        ['2000-02', { amount: '30.00', paid: false, rollId: 'r2', rollNumber: 'R-2' }],
      ]),
      heldBy: 'manual',
    });
    expect(views.map((view) => `${view.month}:${view.status}:${view.amount}`)).toEqual([
      '1999-11:not_covered:0.00',
      '1999-12:not_covered:0.00',
      '2000-01:paid:30.00',
      '2000-02:in_roll:30.00',
      '2000-03:held:30.00',
      '2000-04:held:30.00',
    ]);
  });
});

describe('what documents show', () => {
  it('account numbers show the first and last 4 digits', () => expect(maskAccountNumber('6214670000000000001')).toBe('6214***********0001'));

  it('code point order puts a supplementary-plane character after every BMP one', () => {
    expect(compareCodePoints('𠀋', '\uffee')).toBeGreaterThan(0);
    expect('𠀋' < '\uffee').toBe(true);
  });

  it('code point order agrees with comparing code points one by one (as UTF-8 bytes sort)', () => {
    const byCodePoints = (a: string, b: string) => {
      const left = Array.from(a, (character) => character.codePointAt(0)!);
      const right = Array.from(b, (character) => character.codePointAt(0)!);
      for (let index = 0; index < Math.min(left.length, right.length); index++) if (left[index] !== right[index]) return left[index]! - right[index]!;
      return left.length - right.length;
    };
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('张', '李', 'a', '\uffee', '\ue000', '𠀋', '𪚥', '\ud7ff'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 6 });
    fc.assert(fc.property(text, text, (a, b) => Math.sign(compareCodePoints(a, b)) === Math.sign(byCodePoints(a, b))));
    expect(Math.sign(compareCodePoints('张三', '张三'))).toBe(0);
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

  it('planning in slices gives the roll planned at once', () => {
    fc.assert(
      fc.property(fc.array(beneficiaryArbitrary, { maxLength: 8 }), month, fc.integer({ min: 1, max: 3 }), (subjects, rollMonth, slice) => {
        // Some share a child: their months go to one record only either way.
        const records = subjects.map((subject, index) => ({ ...subject, id: `b${index}`, childId: `c${index % 3}`, childName: `张${index % 2}` }));
        const input = { month: rollMonth, regionCode: '511702', beneficiaries: records, standards: [DEFAULT], liveMonthsByChild: new Map<string, Set<string>>() };
        const planner = createRollPlanner(input);
        while (!planner.done) planner.next(slice);
        expect(planner.plan()).toEqual(planRoll(input));
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
