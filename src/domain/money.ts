import { Decimal } from 'decimal.js';

// Money is exact yuan with two places (fen). It travels as a string on the wire and in the
// database (numeric(14,2)) and as a Decimal in code; it is never a JavaScript number.

/** What the API accepts: up to 12 integer digits and at most 2 decimals, never negative. */
export const MONEY_INPUT_PATTERN = /^\d{1,12}(\.\d{1,2})?$/;

export type Money = Decimal;

export const ZERO = new Decimal(0);

export function money(value: string | Decimal): Decimal {
  return value instanceof Decimal ? value : new Decimal(value);
}

/** The one place money is formatted: always two places, as the API and the database store it. */
export function formatMoney(value: Decimal): string {
  if (!value.equals(value.toDecimalPlaces(2))) {
    // No rule of the scheme needs rounding, so a third decimal place means a bug upstream.
    throw new Error(`money value with more than two decimal places: ${value.toString()}`);
  }
  return value.toFixed(2);
}

/** Normalises an input money string ("1700", "1700.5") to its canonical two-place form. */
export function normaliseMoney(value: string): string {
  return formatMoney(new Decimal(value));
}

export function minMoney(...values: Decimal[]): Decimal {
  return Decimal.min(...values);
}

export function sumMoney(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const value of values) total = total.plus(value);
  return total;
}

/** "50200.00" → "50,200.00", for documents people read. */
export function groupThousands(amount: string): string {
  const [integer, fraction] = amount.split('.');
  return `${integer!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction === undefined ? '' : `.${fraction}`}`;
}
