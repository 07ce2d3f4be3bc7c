// Masked forms of personal values, for wherever the full value is not needed: the audit trail
// keeps these only (security.md §4). ID numbers keep their first 6 and last 4 characters
// (idNumber.ts, maskIdNumber); phone and account numbers their first 3 and last 4; names, where the
// public may read them (allowance.md: the monthly notice posted in the village), lose their second
// character.

/** The first 3 and last 4 characters, the rest as *; a value too short to hide 4 keeps only its last 4. */
function keepEnds(value: string): string {
  const characters = Array.from(value);
  if (characters.length >= 11) return `${characters.slice(0, 3).join('')}${'*'.repeat(characters.length - 7)}${characters.slice(-4).join('')}`;
  if (characters.length > 4) return `${'*'.repeat(characters.length - 4)}${characters.slice(-4).join('')}`;
  return '*'.repeat(characters.length);
}

/** 13800000000 → 138****0000. */
export function maskPhone(phone: string): string {
  return keepEnds(phone);
}

/** 6228480000000000000 → 622************0000. */
export function maskAccount(accountNumber: string): string {
  return keepEnds(accountNumber);
}

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
