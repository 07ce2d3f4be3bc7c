import { parseIdNumber } from '../../domain/idNumber.js';

// What is wrong with an ID number a person typed, in their words, before anything is looked up:
// a wrong check digit is a typing error to correct, not a child who is not registered. The rule
// itself is the service's (src/domain/idNumber.ts); only the words are the console's.

/** A message when the text is an 18-character ID number that cannot be right; null otherwise. */
export function idNumberMistake(text: string): string | null {
  const parsed = parseIdNumber(text.trim().toUpperCase());
  // Not yet 18 characters of digits and X: still being typed, nothing to say.
  if (!('problem' in parsed) || parsed.problem === 'format') return null;
  return parsed.problem === 'checksum'
    ? '身份证号有误：最后一位校验码与前 17 位不符，请逐位核对。'
    : '身份证号有误：第 7 至 14 位不是有效的出生日期，请核对。';
}
