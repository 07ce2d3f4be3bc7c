import { describe, expect, it } from 'vitest';
import { addMoney, chinaToday, formatDate, formatDatesIn, formatMoney, formatMonth, formatPeriod, formatTimestamp, parseMoneyInput } from './client/format.js';

describe('formatMoney', () => {
  it.each([
    ['12000.00', '¥12,000.00'],
    ['0.00', '¥0.00'],
    ['1700.5', '¥1,700.50'],
    ['999', '¥999.00'],
    ['1234567890.12', '¥1,234,567,890.12'],
    ['999999999999.99', '¥999,999,999,999.99'],
    ['007.10', '¥7.10'],
  ])('%s → %s', (amount, shown) => expect(formatMoney(amount)).toBe(shown));

  it('keeps amounts beyond a double exactly', () => {
    expect(formatMoney('900719925474099.99')).toBe('¥900,719,925,474,099.99');
  });

  it('shows a dash for no amount and anything else as it came', () => {
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('abc')).toBe('abc');
  });
});

describe('parseMoneyInput', () => {
  it.each([
    ['1,700', '1700'],
    ['¥1700.5', '1700.5'],
    [' 1700 ', '1700'],
    ['1700元', '1700'],
    ['￥3，000.00', '3000.00'],
  ])('%s → %s', (typed, sent) => expect(parseMoneyInput(typed)).toBe(sent));

  it.each(['', '-5', '1.234', 'abc', '1e3'])('refuses %j', (typed) => expect(parseMoneyInput(typed)).toBeNull());
});

describe('dates', () => {
  it('writes dates, months and periods the Chinese way', () => {
    expect(formatDate('2026-03-05')).toBe('2026年3月5日');
    expect(formatMonth('2026-11')).toBe('2026年11月');
    expect(formatPeriod('2026-01', '2026-03')).toBe('2026年1月—3月');
    expect(formatPeriod('2026-04', '2026-04')).toBe('2026年4月');
    expect(formatDatesIn('2026-01至2026-03')).toBe('2026年1月至2026年3月');
    expect(formatDatesIn('2026-05-10')).toBe('2026年5月10日');
  });

  it('shows timestamps in China time', () => {
    expect(formatTimestamp('2026-11-21T17:30:00.000Z')).toBe('2026年11月22日 01:30');
    expect(chinaToday(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
  });
});

describe('addMoney', () => {
  it('sums money strings exactly, beyond what a double holds', () => {
    expect(addMoney('0.10', '0.20')).toBe('0.30');
    expect(addMoney('5100.00', '1700', '0.5')).toBe('6800.50');
    expect(addMoney()).toBe('0.00');
    expect(addMoney('900719925474099.99', '0.01')).toBe('900719925474100.00');
  });
});
