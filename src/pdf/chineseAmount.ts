import { Decimal } from 'decimal.js';

// An amount in Chinese capital numerals (中文大写金额) as the People's Bank rules for filling in
// bills and vouchers write it (《正确填写票据和结算凭证的基本规定》):
// - 元 then 整 when there are no 角 and 分; nothing after 角 or 分;
// - one 零 for a run of zeros inside the number (1409.50 → 壹仟肆佰零玖元伍角; 50200 → 伍万零贰佰);
// - a zero at the 万 place followed by a non-zero 仟 is not written (107000.53 → 壹拾万柒仟元…);
// - 零 after 元 when the 元 digit is 0 and 角 is not (107000.53 → …元零伍角叁分), and when 角 is 0
//   but 分 is not (16409.02 → …元零贰分);
// - 拾 always has its digit: 10 → 壹拾.

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACE_UNITS = ['', '拾', '佰', '仟'];
const SECTION_UNITS = ['', '万', '亿'];

/** A section of up to four digits (1 to 9999), with one 零 for each inner run of zeros. */
function sectionInWords(section: number): string {
  let words = '';
  let pendingZero = false;
  for (let place = 3; place >= 0; place--) {
    const digit = Math.floor(section / 10 ** place) % 10;
    if (digit === 0) {
      if (words) pendingZero = true;
      continue;
    }
    if (pendingZero) words += '零';
    pendingZero = false;
    words += DIGITS[digit]! + PLACE_UNITS[place]!;
  }
  return words;
}

function integerInWords(value: bigint): string {
  const sections: number[] = [];
  for (let rest = value; rest > 0n; rest /= 10000n) sections.push(Number(rest % 10000n));
  let words = '';
  let zeroSinceLastSection = false;
  for (let index = sections.length - 1; index >= 0; index--) {
    const section = sections[index]!;
    if (section === 0) {
      if (words) zeroSinceLastSection = true;
      continue;
    }
    // A lower section without its 仟 digit, or after a section of zeros, starts with 零.
    if (words && (section < 1000 || zeroSinceLastSection)) words += '零';
    words += sectionInWords(section) + SECTION_UNITS[index]!;
    zeroSinceLastSection = false;
  }
  return words;
}

export function amountInChineseWords(amount: Decimal | string): string {
  const value = new Decimal(amount);
  if (value.isNegative() || !value.equals(value.toDecimalPlaces(2))) {
    throw new Error(`not an amount of yuan and fen: ${value.toString()}`);
  }
  if (value.greaterThanOrEqualTo('1e16')) throw new Error(`amount too large: ${value.toFixed(2)}`);
  const fen = BigInt(value.times(100).toFixed(0));
  const yuan = fen / 100n;
  const jiao = Number((fen / 10n) % 10n);
  const fenDigit = Number(fen % 10n);

  if (jiao === 0 && fenDigit === 0) return `${yuan === 0n ? '零' : integerInWords(yuan)}元整`;
  let words = yuan === 0n ? '' : `${integerInWords(yuan)}元`;
  if (yuan > 0n && (jiao === 0 || yuan % 10n === 0n)) words += '零';
  if (jiao !== 0) words += `${DIGITS[jiao]}角`;
  if (fenDigit !== 0) words += `${DIGITS[fenDigit]}分`;
  return words;
}
