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
