// How names appear where the public may read them (allowance.md: the monthly notice posted in the
// village names children with the second character masked).

/** The second character masked: 张*明, 张*, 欧*明明; a one-character name as it is. */
export function maskName(name: string): string {
  const characters = Array.from(name);
  if (characters.length < 2) return name;
  return [characters[0], '*', ...characters.slice(2)].join('');
}

/**
 * A phone number as the audit trail keeps it (security.md §4): the first 3 and last 4 digits, the
 * rest as *: 138****0000, 081****3456. A number too short to hide anything is all stars.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^0-9]/g, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
