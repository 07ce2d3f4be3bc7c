// The words the care allowance's documents share.

export const TIER_NAMES_ZH: Record<string, string> = { care: '关爱补贴', nursing_supplement: '护理补贴提标' };
export const FUND_NAMES_ZH: Record<string, string> = { county: '县本级财政', hardship: '困难群众资金' };

export function tierLabel(tier: string): string {
  return TIER_NAMES_ZH[tier] ?? tier;
}

import { monthsLabel } from './documentWords.js';

/** 摘要 of a transfer in the bank list: "2025年9月至12月残疾儿童关爱补贴". */
export function allowanceTransferMemo(months: readonly string[]): string {
  return `${monthsLabel(months)}残疾儿童关爱补贴`;
}

// Dates and months in words are every document's (documentWords.ts).
export { chineseDate, monthLabel, monthsLabel } from './documentWords.js';
