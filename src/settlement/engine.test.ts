import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, DEVICE_KINDS, type Category } from '../domain/vocabulary.js';
import type { PolicyVersion } from '../policies/policy.js';
import { settle, type Breakdown, type PriorUsage, type SettlementResult } from './engine.js';
import { DEFAULT_POLICY, deductions, eventClaim, monthlyClaim, NO_USAGE } from './engine.fixtures.js';

const usage = (thisYear: string, ever = thisYear): PriorUsage => ({ approvedThisYear: new Decimal(thisYear), approvedEver: new Decimal(ever) });

function breakdown(result: SettlementResult): Breakdown {
  if (!result.ok) throw new Error(`refused: ${result.refusal.code} ${result.refusal.message}`);
  return result.breakdown;
}

const figures = (result: SettlementResult) => {
  const b = breakdown(result);
  return { remainder: b.remainder.toFixed(2), cap: b.cap.toFixed(2), subsidy: b.subsidy.toFixed(2), reasons: b.reasons };
};

describe('worked examples of domain.md', () => {
  it('#1 hearing, age 3: 12 months of training, insurance and aid off, capped at the annual 17000.00', () => {
    const result = settle(
      monthlyClaim('training', '2025-01', '2025-12', '30000.00', { basicMedicalInsurance: '8000.00', medicalAid: '2000.00' }),
      { category: 'hearing', birthDate: '2021-06-01' },
      DEFAULT_POLICY,
      NO_USAGE,
    );
    expect(figures(result)).toEqual({ remainder: '20000.00', cap: '17000.00', subsidy: '17000.00', reasons: ['ANNUAL_LIMIT'] });
    const b = breakdown(result);
    expect(b.limits.map((limit) => [limit.code, limit.figure.toFixed(2), limit.binding])).toEqual([
      ['MONTHLY_LIMIT', '20400.00', false],
      ['ANNUAL_LIMIT', '17000.00', true],
    ]);
    expect(b.steps.map((step) => [step.label, step.amount.toFixed(2), step.balance.toFixed(2)])).toEqual([
      ['grossCost', '30000.00', '30000.00'],
      ['basicMedicalInsurance', '8000.00', '22000.00'],
      ['criticalIllnessInsurance', '0.00', '22000.00'],
      ['supplementaryCriticalIllnessInsurance', '0.00', '22000.00'],
      ['medicalAid', '2000.00', '20000.00'],
      ['cap', '17000.00', '17000.00'],
    ]);
    expect(b.months).toBe(12);
    expect(b.ageYears).toBe(3);
  });

  it('#2 autism, age 4: 3 months below the monthly standard are paid as spent', () => {
    const result = settle(monthlyClaim('training', '2025-03', '2025-05', '4500.00'), { category: 'autism', birthDate: '2020-06-01' }, DEFAULT_POLICY, NO_USAGE);
    expect(figures(result)).toEqual({ remainder: '4500.00', cap: '5100.00', subsidy: '4500.00', reasons: [] });
  });

  it('#3 hearing, age 3: cochlear implant after four payers, capped once at 12000.00', () => {
    const result = settle(
      eventClaim('cochlear_implant', '2025-05-10', '180000.00', {
        basicMedicalInsurance: '100000.00',
        criticalIllnessInsurance: '50000.00',
        supplementaryCriticalIllnessInsurance: '10000.00',
        medicalAid: '5000.00',
      }),
      { category: 'hearing', birthDate: '2022-01-20' },
      DEFAULT_POLICY,
      NO_USAGE,
    );
    expect(figures(result)).toEqual({ remainder: '15000.00', cap: '12000.00', subsidy: '12000.00', reasons: ['ONCE_PER_CHILD_LIMIT'] });
  });

  it('#4 hearing, age 6: hearing aids capped at 4800.00', () => {
    const result = settle(eventClaim('device', '2025-06-01', '6000.00', {}, 'hearing_aid'), { category: 'hearing', birthDate: '2019-01-05' }, DEFAULT_POLICY, NO_USAGE);
    expect(figures(result)).toEqual({ remainder: '6000.00', cap: '4800.00', subsidy: '4800.00', reasons: ['ANNUAL_LIMIT'] });
  });

  it('#5 the child of #2 after #2 was approved: 7 more months, the monthly standard binds', () => {
    const result = settle(monthlyClaim('training', '2025-06', '2025-12', '14000.00'), { category: 'autism', birthDate: '2020-06-01' }, DEFAULT_POLICY, usage('4500.00'));
    expect(figures(result)).toEqual({ remainder: '14000.00', cap: '11900.00', subsidy: '11900.00', reasons: ['MONTHLY_LIMIT'] });
    expect(breakdown(result).limits.map((limit) => limit.figure.toFixed(2))).toEqual(['11900.00', '12500.00']);
  });
});

describe('every row of the rate table', () => {
  // A claim far above every standard shows the standard; one year over the age limit is refused.
  it.each([
    ['vision training', 'training', null, 'vision', '1000.00', 14],
    ['hearing training', 'training', null, 'hearing', '17000.00', 14],
    ['speech training', 'training', null, 'speech', '17000.00', 14],
    ['intellectual training', 'training', null, 'intellectual', '17000.00', 14],
    ['autism training', 'training', null, 'autism', '17000.00', 14],
    ['limb training', 'training', null, 'limb', '17000.00', 7],
    ['vision early intervention', 'early_intervention', null, 'vision', '24000.00', 14],
    ['hearing early intervention', 'early_intervention', null, 'hearing', '24000.00', 14],
    ['speech early intervention', 'early_intervention', null, 'speech', '24000.00', 14],
    ['intellectual early intervention', 'early_intervention', null, 'intellectual', '24000.00', 14],
    ['autism early intervention', 'early_intervention', null, 'autism', '24000.00', 14],
    ['limb early intervention', 'early_intervention', null, 'limb', '24000.00', 7],
    ['cochlear implant', 'cochlear_implant', null, 'hearing', '12000.00', 6],
    ['limb surgery', 'limb_surgery', null, 'limb', '17200.00', 17],
    ['hearing aids, hearing', 'device', 'hearing_aid', 'hearing', '4800.00', 14],
    ['hearing aids, speech', 'device', 'hearing_aid', 'speech', '4800.00', 14],
    ['prosthesis', 'device', 'prosthesis_orthosis', 'limb', '5000.00', 7],
    ['wheelchair, limb', 'device', 'mobility_aid', 'limb', '1500.00', 7],
    ['wheelchair, autism', 'device', 'mobility_aid', 'autism', '1500.00', 14],
    ['wheelchair, vision', 'device', 'mobility_aid', 'vision', '1500.00', 14],
  ] as const)('%s: standard %s, age limit %i', (_label, service, deviceKind, category, standard, maxAge) => {
    const monthly = service === 'training' || service === 'early_intervention';
    // Born on 1 March: on 1 March 2026 the child is exactly maxAge (allowed) or maxAge + 1 (refused).
    const bornAtLimit = `${2026 - maxAge}-03-01`;
    const bornOverLimit = `${2026 - maxAge - 1}-03-01`;
    const claim = monthly
      ? monthlyClaim(service, '2026-03', '2026-12', '900000.00')
      : eventClaim(service, '2026-03-01', '900000.00', {}, deviceKind);
    const allowed = breakdown(settle(claim, { category, birthDate: bornAtLimit }, DEFAULT_POLICY, NO_USAGE));
    expect(allowed.subsidy.toFixed(2)).toBe(standard);
    expect(allowed.ageYears).toBe(maxAge);
    const refused = settle(claim, { category, birthDate: bornOverLimit }, DEFAULT_POLICY, NO_USAGE);
    expect(refused.ok ? null : refused.refusal.code).toBe('INELIGIBLE_AGE');
  });

  it.each([
    ['training', null, ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism']],
    ['early_intervention', null, ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism']],
    ['cochlear_implant', null, ['hearing']],
    ['limb_surgery', null, ['limb']],
    ['device', 'hearing_aid', ['hearing', 'speech']],
    ['device', 'prosthesis_orthosis', ['limb']],
    ['device', 'mobility_aid', ['vision', 'hearing', 'speech', 'limb', 'intellectual', 'autism']],
  ] as const)('%s %s covers exactly %j', (service, deviceKind, covered) => {
    for (const category of CATEGORIES) {
      const claim = service === 'training' || service === 'early_intervention'
        ? monthlyClaim(service, '2026-03', '2026-03', '100.00')
        : eventClaim(service, '2026-03-01', '100.00', {}, deviceKind);
      const result = settle(claim, { category, birthDate: '2022-01-01' }, DEFAULT_POLICY, NO_USAGE);
      const expected = (covered as readonly Category[]).includes(category);
      expect(result.ok ? 'covered' : result.refusal.code, `${category}`).toBe(expected ? 'covered' : 'CATEGORY_NOT_COVERED');
    }
  });
});

describe('edge cases', () => {
  const hearing = { category: 'hearing' as const, birthDate: '2021-06-01' };

  it('exactly 10 months: the monthly and annual standards meet at 17000.00, both bind', () => {
    const b = breakdown(settle(monthlyClaim('training', '2026-01', '2026-10', '20000.00'), hearing, DEFAULT_POLICY, NO_USAGE));
    expect(b.cap.toFixed(2)).toBe('17000.00');
    expect(b.reasons).toEqual(['MONTHLY_LIMIT', 'ANNUAL_LIMIT']);
  });

  it('vision training: 10 months give only the 1000.00 annual standard', () => {
    const b = breakdown(settle(monthlyClaim('training', '2026-01', '2026-10', '20000.00'), { category: 'vision', birthDate: '2020-01-01' }, DEFAULT_POLICY, NO_USAGE));
    expect([b.cap.toFixed(2), b.reasons]).toEqual(['1000.00', ['ANNUAL_LIMIT']]);
  });

  it('nothing left this year: settles at 0.00 with ANNUAL_LIMIT_REACHED, not an error', () => {
    const b = breakdown(settle(monthlyClaim('training', '2026-11', '2026-12', '3400.00'), hearing, DEFAULT_POLICY, usage('17000.00')));
    expect([b.cap.toFixed(2), b.subsidy.toFixed(2), b.reasons]).toEqual(['0.00', '0.00', ['ANNUAL_LIMIT_REACHED']]);
  });

  it('a second implant: settles at 0.00 with ONCE_PER_CHILD_USED', () => {
    const b = breakdown(settle(eventClaim('cochlear_implant', '2026-05-10', '50000.00'), { category: 'hearing', birthDate: '2022-01-01' }, DEFAULT_POLICY, usage('0.00', '12000.00')));
    expect([b.subsidy.toFixed(2), b.reasons]).toEqual(['0.00', ['ONCE_PER_CHILD_USED']]);
  });

  it('once-per-child counts the whole history, not this year', () => {
    const b = breakdown(settle(eventClaim('limb_surgery', '2026-05-10', '50000.00'), { category: 'limb', birthDate: '2015-01-01' }, DEFAULT_POLICY, usage('0.00', '10000.00')));
    expect([b.subsidy.toFixed(2), b.reasons]).toEqual(['7200.00', ['ONCE_PER_CHILD_LIMIT']]);
  });

  it('part of the year left: the annual remainder binds', () => {
    const b = breakdown(settle(monthlyClaim('training', '2026-09', '2026-12', '8000.00'), hearing, DEFAULT_POLICY, usage('15000.00')));
    expect([b.cap.toFixed(2), b.subsidy.toFixed(2), b.reasons]).toEqual(['2000.00', '2000.00', ['ANNUAL_LIMIT']]);
  });

  it('remainder 0.00: nothing to pay and no limit to blame', () => {
    const b = breakdown(settle(monthlyClaim('training', '2026-03', '2026-03', '1000.00', { basicMedicalInsurance: '600.00', medicalAid: '400.00' }), hearing, DEFAULT_POLICY, NO_USAGE));
    expect([b.remainder.toFixed(2), b.subsidy.toFixed(2), b.reasons]).toEqual(['0.00', '0.00', []]);
  });

  it('cents are exact: 10000.10 − 3333.33 − 3333.33 = 3333.44', () => {
    const b = breakdown(settle(monthlyClaim('early_intervention', '2026-01', '2026-02', '10000.10', { basicMedicalInsurance: '3333.33', criticalIllnessInsurance: '3333.33' }), hearing, DEFAULT_POLICY, NO_USAGE));
    expect([b.remainder.toFixed(2), b.subsidy.toFixed(2)]).toEqual(['3333.44', '3333.44']);
  });

  it('deductions one fen above the gross cost are refused; equal is fine', () => {
    const over = settle(monthlyClaim('training', '2026-03', '2026-03', '1000.00', { basicMedicalInsurance: '500.00', medicalAid: '500.01' }), hearing, DEFAULT_POLICY, NO_USAGE);
    expect(over.ok ? null : over.refusal.code).toBe('DEDUCTIONS_EXCEED_GROSS');
  });

  it('a period across the new year is refused', () => {
    const result = settle(monthlyClaim('training', '2025-11', '2026-02', '1000.00'), hearing, DEFAULT_POLICY, NO_USAGE);
    expect(result.ok ? null : result.refusal.code).toBe('PERIOD_CROSSES_YEAR');
  });

  it('age on the first day of the period: the 7th birthday that day is over the limb limit, the next day is not', () => {
    const limbOn = (birthDate: string) => settle(monthlyClaim('training', '2026-03', '2026-04', '1000.00'), { category: 'limb', birthDate }, DEFAULT_POLICY, NO_USAGE);
    const result = limbOn('2018-03-01');
    expect(result.ok ? null : result.refusal.code).toBe('INELIGIBLE_AGE');
    expect(limbOn('2018-03-02').ok).toBe(true);
    expect(limbOn('2019-03-01').ok).toBe(true);
  });

  it('age on the service date for surgery and devices', () => {
    const implant = (serviceDate: string) => settle(eventClaim('cochlear_implant', serviceDate, '1000.00'), { category: 'hearing', birthDate: '2019-05-10' }, DEFAULT_POLICY, NO_USAGE);
    expect(implant('2026-05-09').ok).toBe(true); // still 6
    const onBirthday = implant('2026-05-10'); // 7 that day
    expect(onBirthday.ok ? null : onBirthday.refusal.code).toBe('INELIGIBLE_AGE');
  });

  it('a free-issued device settles at 0.00 with FREE_ISSUED and no limit', () => {
    const b = breakdown(settle(eventClaim('device', '2026-06-01', '3000.00', {}, 'hearing_aid', true), hearing, DEFAULT_POLICY, NO_USAGE));
    expect([b.cap.toFixed(2), b.subsidy.toFixed(2), b.reasons, b.limits]).toEqual(['0.00', '0.00', ['FREE_ISSUED'], []]);
  });

  it('category is checked before age', () => {
    const result = settle(eventClaim('cochlear_implant', '2026-05-10', '1000.00'), { category: 'autism', birthDate: '2000-01-01' }, DEFAULT_POLICY, NO_USAGE);
    expect(result.ok ? null : result.refusal.code).toBe('CATEGORY_NOT_COVERED');
  });

  it('a reviewer may approve less, which says ADJUSTED_BY_REVIEWER; more is refused', () => {
    const claim = monthlyClaim('training', '2026-03', '2026-05', '4500.00');
    const child = { category: 'autism' as const, birthDate: '2020-06-01' };
    const lower = breakdown(settle(claim, child, DEFAULT_POLICY, NO_USAGE, { approvedAmount: new Decimal('4000.50') }));
    expect([lower.subsidy.toFixed(2), lower.approvedAmount.toFixed(2), lower.reasons]).toEqual(['4500.00', '4000.50', ['ADJUSTED_BY_REVIEWER']]);
    expect(lower.steps.at(-1)!.label).toBe('reviewerAdjustment');
    expect(lower.steps.at(-1)!.amount.toFixed(2)).toBe('499.50');
    const same = breakdown(settle(claim, child, DEFAULT_POLICY, NO_USAGE, { approvedAmount: new Decimal('4500') }));
    expect(same.reasons).toEqual([]);
    const more = settle(claim, child, DEFAULT_POLICY, NO_USAGE, { approvedAmount: new Decimal('4500.01') });
    expect(more.ok ? null : more.refusal.code).toBe('APPROVAL_EXCEEDS_ENTITLEMENT');
  });

  it('a region’s own policy (given by the caller) replaces the default rule set', () => {
    const regional: PolicyVersion = {
      id: 'regional',
      name: 'county 2026',
      effectiveFrom: '2026-07-01',
      regionCode: '511702',
      rules: [{ ...DEFAULT_POLICY.rules[1]!, annualLimit: new Decimal('20000.00'), monthlyLimit: new Decimal('2000.00') }],
    };
    const b = breakdown(settle(monthlyClaim('training', '2026-07', '2026-12', '30000.00'), hearing, regional, NO_USAGE));
    expect([b.cap.toFixed(2), b.policyId]).toEqual(['12000.00', 'regional']);
    const dropped = settle(eventClaim('device', '2026-07-01', '100.00', {}, 'mobility_aid'), hearing, regional, NO_USAGE);
    expect(dropped.ok ? null : dropped.refusal.code).toBe('CATEGORY_NOT_COVERED');
  });

  it('a policy starting mid-year: the months after it settle under its limits and the year’s usage carries over', () => {
    const raised: PolicyVersion = { ...DEFAULT_POLICY, id: 'raised', rules: DEFAULT_POLICY.rules.map((rule) => (rule.service === 'training' && rule.categories?.includes('hearing') ? { ...rule, annualLimit: new Decimal('20000.00'), monthlyLimit: new Decimal('2000.00') } : rule)) };
    const b = breakdown(settle(monthlyClaim('training', '2026-07', '2026-12', '30000.00'), hearing, raised, usage('10200.00')));
    expect([b.cap.toFixed(2), b.reasons]).toEqual(['9800.00', ['ANNUAL_LIMIT']]);
  });
});

describe('properties', () => {
  const moneyArbitrary = (maxFen: number) => fc.integer({ min: 0, max: maxFen }).map((fen) => new Decimal(fen).dividedBy(100));
  const monthlyArbitrary = fc.record({
    service: fc.constantFrom('training' as const, 'early_intervention' as const),
    from: fc.integer({ min: 1, max: 12 }),
    length: fc.integer({ min: 0, max: 11 }),
    gross: moneyArbitrary(5_000_000),
    shares: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 4, maxLength: 4 }),
  });
  const categoryArbitrary = fc.constantFrom(...CATEGORIES.filter((category) => category !== 'limb'));

  it('0 ≤ subsidy ≤ remainder, subsidy ≤ cap ≤ every limit figure, monthly cap ≤ standard × months', () => {
    fc.assert(
      fc.property(monthlyArbitrary, categoryArbitrary, moneyArbitrary(3_000_000), (input, category, usedThisYear) => {
        const to = Math.min(12, input.from + input.length);
        const pad = (month: number) => `2026-${String(month).padStart(2, '0')}`;
        // Split part of the gross cost among the four payers; the rest is the remainder.
        const totalShare = input.shares.reduce((a, b) => a + b, 0) + 100;
        const parts = input.shares.map((share) => input.gross.times(share).dividedToIntegerBy(totalShare));
        const claim = monthlyClaim(input.service, pad(input.from), pad(to), input.gross.toFixed(2), {
          basicMedicalInsurance: parts[0]!.toFixed(2),
          criticalIllnessInsurance: parts[1]!.toFixed(2),
          supplementaryCriticalIllnessInsurance: parts[2]!.toFixed(2),
          medicalAid: parts[3]!.toFixed(2),
        });
        const b = breakdown(settle(claim, { category, birthDate: '2020-01-01' }, DEFAULT_POLICY, { approvedThisYear: usedThisYear, approvedEver: usedThisYear }));
        expect(b.subsidy.greaterThanOrEqualTo(0)).toBe(true);
        expect(b.subsidy.lessThanOrEqualTo(b.remainder)).toBe(true);
        expect(b.subsidy.lessThanOrEqualTo(b.cap)).toBe(true);
        for (const limit of b.limits) expect(b.cap.lessThanOrEqualTo(limit.figure)).toBe(true);
        const monthly = b.limits.find((limit) => limit.code === 'MONTHLY_LIMIT')!;
        expect(b.subsidy.lessThanOrEqualTo(monthly.limit.times(b.months!))).toBe(true);
        expect(b.subsidy.decimalPlaces()).toBeLessThanOrEqual(2);
        expect(b.remainder.equals(b.grossCost.minus(parts.reduce((a, p) => a.plus(p), new Decimal(0))))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('over any sequence of claims, what is approved per child-year never exceeds the annual limit', () => {
    const claimArbitrary = fc.record({
      from: fc.integer({ min: 1, max: 12 }),
      length: fc.integer({ min: 0, max: 11 }),
      gross: moneyArbitrary(3_000_000),
      adjustBy: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    });
    fc.assert(
      fc.property(categoryArbitrary, fc.array(claimArbitrary, { minLength: 1, maxLength: 30 }), (category, claims) => {
        let approved = new Decimal(0);
        for (const input of claims) {
          const to = Math.min(12, input.from + input.length);
          const claim = monthlyClaim('training', `2026-${String(input.from).padStart(2, '0')}`, `2026-${String(to).padStart(2, '0')}`, input.gross.toFixed(2));
          const result = settle(claim, { category, birthDate: '2020-01-01' }, DEFAULT_POLICY, { approvedThisYear: approved, approvedEver: approved });
          const b = breakdown(result);
          // A reviewer sometimes approves less; that must never let the total exceed the limit either.
          const amount = input.adjustBy === undefined ? b.approvedAmount : b.subsidy.times(input.adjustBy).dividedToIntegerBy(100).dividedBy(1);
          const final = input.adjustBy === undefined ? b : breakdown(settle(claim, { category, birthDate: '2020-01-01' }, DEFAULT_POLICY, { approvedThisYear: approved, approvedEver: approved }, { approvedAmount: amount }));
          approved = approved.plus(final.approvedAmount);
          const annual = category === 'vision' ? '1000.00' : '17000.00';
          expect(approved.lessThanOrEqualTo(annual)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('over any sequence of surgeries and devices, once-per-child and annual device limits hold', () => {
    const eventArbitrary = fc.record({
      kind: fc.constantFrom(...DEVICE_KINDS, 'limb_surgery' as const),
      gross: moneyArbitrary(2_000_000),
      freeIssued: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(eventArbitrary, { minLength: 1, maxLength: 25 }), (events) => {
        const used = new Map<string, Decimal>();
        for (const event of events) {
          const isDevice = event.kind !== 'limb_surgery';
          const claim = eventClaim(isDevice ? 'device' : 'limb_surgery', '2026-04-01', event.gross.toFixed(2), {}, isDevice ? event.kind as (typeof DEVICE_KINDS)[number] : null, isDevice && event.freeIssued);
          const before = used.get(event.kind) ?? new Decimal(0);
          const result = settle(claim, { category: 'limb', birthDate: '2021-01-01' }, DEFAULT_POLICY, { approvedThisYear: before, approvedEver: before });
          if (!result.ok) {
            // A hearing aid is not for a limb child: refused, nothing used.
            expect(result.refusal.code).toBe('CATEGORY_NOT_COVERED');
            continue;
          }
          if (claim.freeIssued) expect(result.breakdown.approvedAmount.isZero()).toBe(true);
          used.set(event.kind, before.plus(result.breakdown.approvedAmount));
        }
        const limits: Record<string, string> = { limb_surgery: '17200.00', prosthesis_orthosis: '5000.00', mobility_aid: '1500.00', hearing_aid: '0.00' };
        for (const [kind, total] of used) expect(total.lessThanOrEqualTo(limits[kind]!), kind).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('deductions helper', () => {
  it('defaults every payer to 0', () => {
    expect(Object.values(deductions()).every((value) => value.isZero())).toBe(true);
  });
});
