import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cadenceInForce,
  caseCadenceMonths,
  dangerConcerns,
  DEFAULT_VISIT_CADENCE_MONTHS,
  nextVisitDue,
  reportOverdue,
  VISIT_CADENCE_KEYS,
  visitOverdue,
  type VisitCadenceMonths,
} from './protectionVisitRule.js';
import { LIVING_ARRANGEMENTS, PROTECTION_CATEGORIES, type ProtectionCategory } from './protectionVocabulary.js';

describe('a case’s cadence: the smallest over its categories, the orphan by living arrangement (seeded default)', () => {
  it.each([
    [['orphan'], 'scattered', 1],
    [['orphan'], 'institution', 3],
    [['de_facto_unsupported'], 'institution', 1],
    [['guardianship_lacking'], 'scattered', 1],
    [['severe_illness_disability'], 'scattered', 3],
    [['extreme_poverty'], 'scattered', 3],
    [['poor_family'], 'scattered', 3],
    [['temporary'], 'scattered', 3],
    [['poor_family', 'severe_illness_disability'], 'scattered', 3],
    [['orphan', 'severe_illness_disability'], 'institution', 3],
    [['poor_family', 'guardianship_lacking'], 'scattered', 1],
  ] as [ProtectionCategory[], 'scattered' | 'institution', number][])('%o living %s: every %i month(s)', (categories, living, months) => {
    expect(caseCadenceMonths(categories, living, DEFAULT_VISIT_CADENCE_MONTHS)).toBe(months);
  });

  it('a region’s own cadence replaces the default key by key; a key it lacks or a value outside 1–12 reads as the default', () => {
    const cadence = cadenceInForce({ orphan_institution: 2, poor_family: 13, temporary: 0, extreme_poverty: 1.5 });
    expect(cadence).toEqual({ ...DEFAULT_VISIT_CADENCE_MONTHS, orphan_institution: 2 });
    expect(cadenceInForce(null)).toEqual(DEFAULT_VISIT_CADENCE_MONTHS);
    expect(caseCadenceMonths(['orphan'], 'institution', cadence)).toBe(2);
  });
});

describe('nextVisitDue: the latest visit (else the recognition) + cadence months; a day past a month’s end becomes its last day', () => {
  it.each([
    // Worked example 5: a scattered orphan visited 2026-01-31.
    ['2025-12-01', '2026-01-31', 1, '2026-02-28'],
    ['2023-06-01', '2024-01-31', 1, '2024-02-29'],
    ['2025-11-20', null, 1, '2025-12-20'],
    ['2025-11-30', null, 3, '2026-02-28'],
    ['2025-10-23', '2025-12-31', 3, '2026-03-31'],
    ['2025-10-23', '2026-03-31', 1, '2026-04-30'],
    ['2025-10-23', '2025-08-31', 12, '2026-08-31'],
  ])('recognised %s, last visited %s, every %i month(s): due %s', (recognisedOn, lastVisitedOn, months, due) => {
    expect(nextVisitDue(recognisedOn, lastVisitedOn, months)).toBe(due);
  });

  it.each([
    ['2026-02-28', false],
    ['2026-03-01', true],
  ])('due 2026-02-28, on %s overdue: %s (worked example 5)', (today, overdue) => {
    expect(visitOverdue('2026-02-28', today)).toBe(overdue);
  });
});

describe('danger raises a report with the checks in danger as its concerns', () => {
  it.each([
    [{ guardianship: 'concern', living: 'ok', schooling: 'ok', health: 'ok', safety: 'danger' }, ['safety']],
    [{ guardianship: 'danger', living: 'ok', schooling: 'ok', health: 'danger', safety: 'concern' }, ['guardianship', 'health']],
    [{ guardianship: 'concern', living: 'concern', schooling: 'concern', health: 'concern', safety: 'concern' }, []],
  ] as const)('%o → %o', (checks, concerns) => {
    expect(dangerConcerns(checks)).toEqual(concerns);
  });
});

describe('a report is overdue while open reportAcknowledgeHours after it was raised', () => {
  const raisedAt = new Date('2026-03-05T09:00:00+08:00');
  it.each([
    ['open', '2026-03-05T10:59:59+08:00', 2, false],
    ['open', '2026-03-05T11:00:00+08:00', 2, true],
    ['open', '2026-03-05T11:00:00+08:00', 3, false],
    ['acknowledged', '2026-03-06T09:00:00+08:00', 2, false],
  ] as const)('%s at %s with %i hours: overdue %s', (status, now, hours, overdue) => {
    expect(reportOverdue({ status, raisedAt }, new Date(now), hours)).toBe(overdue);
  });
});

const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
const cadenceArb = fc.record(Object.fromEntries(VISIT_CADENCE_KEYS.map((key) => [key, fc.integer({ min: 1, max: 12 })])) as Record<keyof VisitCadenceMonths, fc.Arbitrary<number>>);
const categoriesArb = fc.uniqueArray(fc.constantFrom(...PROTECTION_CATEGORIES), { minLength: 1, maxLength: PROTECTION_CATEGORIES.length });

describe('properties', () => {
  it('the cadence is one of the categories’ own and no larger than any of them', () => {
    fc.assert(
      fc.property(categoriesArb, fc.constantFrom(...LIVING_ARRANGEMENTS), cadenceArb, (categories, living, cadence) => {
        const months = caseCadenceMonths(categories, living, cadence);
        const own = categories.map((category) => caseCadenceMonths([category], living, cadence));
        expect(own).toContain(months);
        for (const value of own) expect(months).toBeLessThanOrEqual(value);
        // Adding a category never makes visits rarer.
        for (const extra of PROTECTION_CATEGORIES) expect(caseCadenceMonths([...new Set([...categories, extra])], living, cadence)).toBeLessThanOrEqual(months);
      }),
    );
  });

  it('the next visit is due in the month `cadence` months after the last, on the same day or that month’s last day, and later than the last', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 12 }), (last, months) => {
        const due = nextVisitDue('1999-01-01', last, months);
        expect(due > last).toBe(true);
        const monthIndex = (date: string) => Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1;
        expect(monthIndex(due) - monthIndex(last)).toBe(months);
        const lastDayOfDueMonth = new Date(Date.UTC(Number(due.slice(0, 4)), Number(due.slice(5, 7)), 0)).getUTCDate();
        expect(Number(due.slice(8, 10))).toBe(Math.min(Number(last.slice(8, 10)), lastDayOfDueMonth));
        // Overdue exactly from the day after.
        expect(visitOverdue(due, due)).toBe(false);
        expect(visitOverdue(due, nextDay(due))).toBe(true);
      }),
    );
  });
});

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
