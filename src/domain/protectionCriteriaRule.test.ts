import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonthsToDate, fullMonthsBetween, previousDay } from './calendar.js';
import {
  criteriaInForce,
  deFactoUnsupportedFailures,
  evaluateCriteria,
  extremePovertyFailures,
  factHolds,
  type CriteriaVersion,
  type ParentFact,
  type ParentsFacts,
} from './protectionCriteriaRule.js';
import { PARENT_SITUATIONS, type ParentSituation } from './protectionVocabulary.js';

// The seeded default criteria (protection.md §3).
const DEFAULT: CriteriaVersion = {
  id: 'default',
  deFactoUnsupported: {
    absent: ['dead', 'declared_missing'],
    qualifying: {
      severe_disability: {},
      serious_illness: {},
      guardianship_revoked: {},
      deported: {},
      missing: { minElapsedMonths: 6 },
      imprisoned: { minTermMonths: 6 },
      drug_rehab: { minTermMonths: 6 },
      deprived_of_liberty: { minTermMonths: 6 },
    },
  },
  extremePovertyUnderAge: 16,
};

const fact = (situation: ParentSituation, since: string, until: string | null = null): ParentFact => ({ situation, since, until });

describe('full months (the largest m with a + m months ≤ b; a day past a month’s end becomes its last day)', () => {
  it.each([
    ['2025-05-12', '2025-10-12', 5, 'to the same day five months on'],
    ['2025-05-12', '2025-10-17', 5, 'worked example 2: 05-12 + 5 months = 10-12 ≤ 10-17'],
    ['2025-05-12', '2025-11-11', 5, 'the day before six months'],
    ['2025-05-12', '2025-11-12', 6, 'six months on the day'],
    ['2024-03-01', '2029-02-28', 59, 'worked example 2: the father’s term, 59 full months'],
    ['2025-01-31', '2025-02-28', 1, '01-31 + 1 month is 02-28'],
    ['2024-01-31', '2024-02-28', 0, 'leap year: 01-31 + 1 month is 02-29, after 02-28'],
    ['2024-01-31', '2024-02-29', 1, 'leap year: 02-29'],
    ['2025-08-31', '2025-09-30', 1, 'a 31st into a 30-day month'],
    ['2025-05-12', '2025-05-12', 0, 'the same day'],
  ])('%s → %s: %i (%s)', (from, to, months) => {
    expect(fullMonthsBetween(from, to)).toBe(months);
  });

  it('is the largest m with from + m months ≤ to, for any two days', () => {
    const day = fc.integer({ min: 0, max: 20_000 }).map((offset) => new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (a, b) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const months = fullMonthsBetween(from, to);
        expect(addMonthsToDate(from, months) <= to).toBe(true);
        expect(addMonthsToDate(from, months + 1) > to).toBe(true);
      }),
    );
  });
});

describe('a parent’s fact holds on day d when since ≤ d and (until null or d ≤ until)', () => {
  it.each([
    [fact('imprisoned', '2024-03-01', '2029-02-28'), '2024-03-01', true],
    [fact('imprisoned', '2024-03-01', '2029-02-28'), '2029-02-28', true],
    [fact('imprisoned', '2024-03-01', '2029-02-28'), '2029-03-01', false],
    [fact('imprisoned', '2024-03-01', '2029-02-28'), '2024-02-29', false],
    [fact('missing', '2025-05-12'), '2099-01-01', true],
  ])('%o on %s: %s', (given, on, holds) => {
    expect(factHolds(given, on)).toBe(holds);
  });
});

describe('事实无人抚养: both parents qualify, or one is absent and the other qualifies', () => {
  it.each<[string, ParentsFacts, string, { rule: string; parent?: string; required?: number; actual?: number }[]]>([
    ['father absent (dead), mother severely disabled', { father: [fact('dead', '2020-01-01')], mother: [fact('severe_disability', '2019-01-01')] }, '2025-10-17', []],
    ['both qualify: father ill, mother revoked', { father: [fact('serious_illness', '2024-01-01')], mother: [fact('guardianship_revoked', '2023-05-01')] }, '2025-10-17', []],
    ['father declared missing, mother deported', { father: [fact('declared_missing', '2022-01-01')], mother: [fact('deported', '2025-01-01')] }, '2025-10-17', []],
    [
      'worked example 2: father imprisoned 59 months qualifies; mother missing 5 months fails',
      { father: [fact('imprisoned', '2024-03-01', '2029-02-28')], mother: [fact('missing', '2025-05-12')] },
      '2025-10-17',
      [{ rule: 'missing.minElapsedMonths', parent: 'mother', required: 6, actual: 5 }],
    ],
    [
      'worked example 2 on 2025-11-12: six full months, met',
      { father: [fact('imprisoned', '2024-03-01', '2029-02-28')], mother: [fact('missing', '2025-05-12')] },
      '2025-11-12',
      [],
    ],
    [
      'a term of 5 months is too short; an open term qualifies',
      { father: [fact('imprisoned', '2025-01-01', '2025-06-30')], mother: [fact('drug_rehab', '2025-03-01', null)] },
      '2025-04-01',
      [{ rule: 'imprisoned.minTermMonths', parent: 'father', required: 6, actual: 5 }],
    ],
    ['both dead: an orphan, not unsupported', { father: [fact('dead', '2020-01-01')], mother: [fact('dead', '2021-01-01')] }, '2025-10-17', [{ rule: 'both_absent' }]],
    [
      'a parent able to care, the other dead',
      { father: [fact('able', '2010-01-01')], mother: [fact('dead', '2021-01-01')] },
      '2025-10-17',
      [{ rule: 'no_qualifying_situation', parent: 'father' }],
    ],
    [
      'no facts at all: both parents named',
      {},
      '2025-10-17',
      [
        { rule: 'no_qualifying_situation', parent: 'father' },
        { rule: 'no_qualifying_situation', parent: 'mother' },
      ],
    ],
    [
      'a term that ended before the day no longer holds',
      { father: [fact('imprisoned', '2020-01-01', '2024-12-31')], mother: [fact('dead', '2021-01-01')] },
      '2025-10-17',
      [{ rule: 'no_qualifying_situation', parent: 'father' }],
    ],
    [
      'a fact that starts after the day does not hold yet',
      { father: [fact('dead', '2026-01-01')], mother: [fact('severe_disability', '2019-01-01')] },
      '2025-10-17',
      [{ rule: 'no_qualifying_situation', parent: 'father' }],
    ],
  ])('%s', (_name, parents, on, expected) => {
    const failures = deFactoUnsupportedFailures(parents, DEFAULT, on);
    expect(failures.map(({ rule, parent, required, actual }) => ({ rule, ...(parent ? { parent } : {}), ...(required !== undefined ? { required } : {}), ...(actual !== undefined ? { actual } : {}) }))).toEqual(expected);
  });

  it('names the failed rule as CRITERIA_NOT_MET details do (worked example 2)', () => {
    const failures = deFactoUnsupportedFailures({ father: [fact('imprisoned', '2024-03-01', '2029-02-28')], mother: [fact('missing', '2025-05-12')] }, DEFAULT, '2025-10-17');
    expect(failures).toEqual([{ category: 'de_facto_unsupported', rule: 'missing.minElapsedMonths', parent: 'mother', since: '2025-05-12', on: '2025-10-17', required: 6, actual: 5 }]);
  });

  const day = fc.integer({ min: 0, max: 9_000 }).map((offset) => new Date(Date.UTC(2005, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10));
  const factArbitrary = fc.record({
    situation: fc.constantFrom(...PARENT_SITUATIONS),
    since: day,
    until: fc.option(day, { nil: null }),
  }).map((drawn): ParentFact => ({ ...drawn, until: drawn.until !== null && drawn.until < drawn.since ? drawn.since : drawn.until }));
  const parentsArbitrary = fc.record({ father: fc.array(factArbitrary, { maxLength: 3 }), mother: fc.array(factArbitrary, { maxLength: 3 }) });
  const qualifyingSituation = fc.constantFrom(...(Object.keys(DEFAULT.deFactoUnsupported.qualifying) as ParentSituation[]));

  it('adding a qualifying fact never turns “met” into “failed”', () => {
    fc.assert(
      fc.property(parentsArbitrary, fc.constantFrom('father', 'mother'), qualifyingSituation, day, fc.option(day, { nil: null }), day, (parents, parent, situation, since, until, on) => {
        fc.pre(deFactoUnsupportedFailures(parents, DEFAULT, on).length === 0);
        const added: ParentFact = { situation, since, until: until !== null && until < since ? since : until };
        const more = { ...parents, [parent]: [...parents[parent], added] };
        expect(deFactoUnsupportedFailures(more, DEFAULT, on)).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('a missing parent qualifies exactly from the first day six full months are reached, and not the day before', () => {
    fc.assert(
      fc.property(day, fc.constantFrom<ParentSituation>('dead', 'declared_missing', 'severe_disability'), (since, other) => {
        const parents = { father: [fact(other, '2000-01-01')], mother: [fact('missing', since)] };
        const firstDay = addMonthsToDate(since, 6);
        expect(deFactoUnsupportedFailures(parents, DEFAULT, firstDay)).toEqual([]);
        expect(deFactoUnsupportedFailures(parents, DEFAULT, previousDay(firstDay)).map((failure) => failure.rule)).toEqual(['missing.minElapsedMonths']);
      }),
      { numRuns: 300 },
    );
  });

  it('a term qualifies exactly when it is six full months long', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), (since, length) => {
        const until = new Date(Date.parse(`${since}T00:00:00Z`) + length * 86_400_000).toISOString().slice(0, 10);
        const parents = { father: [fact('dead', '2000-01-01')], mother: [fact('imprisoned', since, until)] };
        const met = deFactoUnsupportedFailures(parents, DEFAULT, since).length === 0;
        expect(met).toBe(until >= addMonthsToDate(since, 6));
      }),
      { numRuns: 300 },
    );
  });
});

describe('特困供养: under the version’s age in full years on the decision day', () => {
  it.each([
    ['2010-10-18', '2025-10-17', [], 'age 14'],
    ['2009-10-17', '2025-10-17', [{ rule: 'extreme_poverty.underAge', required: 16, actual: 16 }], '16 on the birthday: poor_family instead (就高不就低)'],
    ['2009-10-18', '2025-10-17', [], '15 the day before the 16th birthday'],
  ])('born %s, on %s', (birthDate, on, expected) => {
    expect(extremePovertyFailures(birthDate, DEFAULT, on).map(({ rule, required, actual }) => ({ rule, required, actual }))).toEqual(expected);
  });
});

describe('evaluateCriteria checks only the categories the service checks', () => {
  it('orphan and poor_family are checked on paper: neither met nor failed', () => {
    expect(evaluateCriteria({ categories: ['orphan', 'poor_family'], parents: {}, birthDate: '2015-01-01' }, DEFAULT, '2025-10-17')).toEqual({ met: [], failed: [] });
  });

  it('both checked: one met, one failed', () => {
    const result = evaluateCriteria({ categories: ['de_facto_unsupported', 'extreme_poverty'], parents: {}, birthDate: '2015-01-01' }, DEFAULT, '2025-10-17');
    expect(result.met).toEqual(['extreme_poverty']);
    expect(result.failed.map((failure) => failure.rule)).toEqual(['no_qualifying_situation', 'no_qualifying_situation']);
  });
});

describe('the version in force: the region’s own latest started, else the default’s', () => {
  const versions = [
    { id: 'd2000', effectiveFrom: '2000-01-01', regionCode: null },
    { id: 'd2026', effectiveFrom: '2026-01-01', regionCode: null },
    { id: 'r2025', effectiveFrom: '2025-07-01', regionCode: '511702' },
  ];
  it.each([
    ['511702', '2025-06-30', 'd2000'],
    ['511702', '2025-07-01', 'r2025'],
    ['511702', '2026-05-01', 'r2025'],
    ['511781', '2025-07-01', 'd2000'],
    ['511781', '2026-01-01', 'd2026'],
  ])('%s on %s: %s', (regionCode, on, id) => {
    expect(criteriaInForce(versions, regionCode, on)?.id).toBe(id);
  });
});
