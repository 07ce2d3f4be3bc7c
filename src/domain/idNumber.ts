import { isValidDate } from './calendar.js';

// The 18-digit resident identity number of GB 11643-1999: 6 digits of address code, 8 of birth
// date (YYYYMMDD), 3 of sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
// character, 0-9 or an upper-case X.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARACTERS = '10X98765432';

export type IdNumberProblem = 'format' | 'birth_date' | 'checksum';

export interface ParsedIdNumber {
  birthDate: string;
  sex: 'male' | 'female';
}

export function checkCharacter(first17Digits: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index++) sum += Number(first17Digits[index]) * WEIGHTS[index]!;
  return CHECK_CHARACTERS[sum % 11]!;
}

/** Parses an ID number, or says what is wrong with it. A lower-case x is a format error. */
export function parseIdNumber(idNumber: string): ParsedIdNumber | { problem: IdNumberProblem } {
  if (!/^\d{17}[\dX]$/.test(idNumber)) return { problem: 'format' };
  const birthDate = `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
  if (!isValidDate(birthDate) || birthDate < '1900-01-01') return { problem: 'birth_date' };
  if (checkCharacter(idNumber.slice(0, 17)) !== idNumber[17]) return { problem: 'checksum' };
  return { birthDate, sex: Number(idNumber[16]) % 2 === 1 ? 'male' : 'female' };
}

export const ID_NUMBER_PROBLEM_MESSAGES: Record<IdNumberProblem, string> = {
  format: 'an ID number is 17 digits and a check character (0-9 or upper-case X)',
  birth_date: 'the ID number holds no valid birth date',
  checksum: 'the ID number check character is wrong',
};

/** First 6 and last 4 characters, 8 stars between: what may appear on paper and in lists. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(-4)}`;
}

/**
 * What is wrong with a disability certificate number (残疾人证号) for a child, or null: it is the
 * holder's ID number followed by the category digit (1–7) and the level digit (1–4). A number that
 * does not start with the child's own ID number is another person's certificate, and would open the
 * care allowance to a child who holds none.
 */
export function certificateNumberProblem(idNumber: string, certificateNo: string): { message: string; hint: string } | null {
  const number = certificateNo.trim().toUpperCase();
  if (!/^\d{17}[\dX][1-7][1-4]$/.test(number)) {
    return { message: 'certificateNo is the holder’s 18-character ID number, the category digit (1–7) and the level digit (1–4)', hint: '残疾人证号应为 20 位：持证人身份证号加残疾类别（1–7）和等级（1–4）各一位' };
  }
  if (number.slice(0, 18) !== idNumber.trim().toUpperCase()) {
    return { message: 'certificateNo does not begin with the child’s ID number: it is another person’s certificate', hint: '残疾人证号的前 18 位应与该儿童的身份证号相同，请核对是否为本人的残疾证' };
  }
  return null;
}
