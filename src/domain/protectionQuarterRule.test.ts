import { describe, expect, it } from 'vitest';
import { isValidQuarter, latestOpenQuarter, quarterCensusDay, quarterLastDay, quarterMonths, quarterOfMonth, quarterOpensOn, quarterStatus } from './protectionQuarterRule.js';

describe('quarters', () => {
  it.each([
    ['2026-Q1', ['2026-01', '2026-02', '2026-03'], '2026-03-01', '2026-03-31'],
    ['2026-Q2', ['2026-04', '2026-05', '2026-06'], '2026-06-01', '2026-06-30'],
    ['2025-Q4', ['2025-10', '2025-11', '2025-12'], '2025-12-01', '2025-12-31'],
  ])('%s: months %o, accepted from %s, last day %s', (quarter, months, opens, last) => {
    expect(quarterMonths(quarter)).toEqual(months);
    expect(quarterOpensOn(quarter)).toBe(opens);
    expect(quarterLastDay(quarter)).toBe(last);
  });
  it.each([
    ['2026-01', '2026-Q1'],
    ['2026-03', '2026-Q1'],
    ['2026-04', '2026-Q2'],
    ['2026-12', '2026-Q4'],
  ])('%s is in %s', (month, quarter) => {
    expect(quarterOfMonth(month)).toBe(quarter);
  });
  it.each(['2026-Q1', '2026-Q4'])('%s is a quarter', (quarter) => expect(isValidQuarter(quarter)).toBe(true));
  it.each(['2026-Q0', '2026-Q5', '2026Q1', '26-Q1'])('%s is not', (quarter) => expect(isValidQuarter(quarter)).toBe(false));
});

describe('a township’s status for a quarter (worked example 5: 2026-Q1)', () => {
  it.each([
    ['2026-02-28', null, 'not_yet_due', false],
    ['2026-03-01', null, 'due', false],
    ['2026-03-31', null, 'due', false],
    ['2026-04-01', null, 'overdue', false],
    ['2026-04-05', '2026-03-20', 'submitted', false],
    ['2026-04-05', '2026-04-03', 'submitted', true],
  ])('on %s, submitted %s: %s, late %s', (today, submittedOn, status, late) => {
    expect(quarterStatus('2026-Q1', today, submittedOn)).toEqual({ status, late });
  });
});

describe('the statistics’ quarter: the latest whose last month has begun', () => {
  it.each([
    ['2026-03-01', '2026-Q1'],
    ['2026-02-28', '2025-Q4'],
    ['2026-05-10', '2026-Q1'],
    ['2026-06-01', '2026-Q2'],
    ['2026-01-15', '2025-Q4'],
  ])('on %s: %s', (today, quarter) => {
    expect(latestOpenQuarter(today)).toBe(quarter);
  });
});

describe('the day a township is judged on: the quarter’s last day, or today if earlier', () => {
  it.each([
    ['2026-03-10', '2026-03-10'],
    ['2026-04-10', '2026-03-31'],
  ])('on %s: %s', (today, day) => {
    expect(quarterCensusDay('2026-Q1', today)).toBe(day);
  });
});
