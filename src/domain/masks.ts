// How names appear where the public may read them (allowance.md: the monthly notice posted in the
// village names children with the second character masked).

/** The second character masked: 张*明, 张*, 欧*明明; a one-character name as it is. */
export function maskName(name: string): string {
  const characters = Array.from(name);
  if (characters.length < 2) return name;
  return [characters[0], '*', ...characters.slice(2)].join('');
}

/** An account number as those who do not pay it see it: the first 4 and the last 4 digits. */
export function maskAccountNumber(accountNumber: string): string {
  if (accountNumber.length <= 8) return accountNumber.replace(/./g, '*');
  return `${accountNumber.slice(0, 4)}${'*'.repeat(accountNumber.length - 8)}${accountNumber.slice(-4)}`;
}

/**
 * A phone or account number as an audit row keeps it (security.md §4): its digits, the first 3 and
 * the last 4 kept and the rest starred (138****0000, 081****3456 for 0818-2123456); a value of 7
 * digits or fewer is all stars.
 */
export function maskForAudit(value: string): string {
  const digits = value.replace(/[^0-9]/g, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}
