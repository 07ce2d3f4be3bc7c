import { readFileSync } from 'node:fs';

// The password policy of security.md §1 as a pure rule: which of its rules a candidate breaks.
// Whether it is one of the user's last passwords needs their hashes and is checked by the service.

export type PasswordRule = 'MIN_LENGTH' | 'CHARACTER_CLASSES' | 'CONTAINS_USERNAME' | 'COMMON_PASSWORD' | 'RECENTLY_USED';

export const MIN_PASSWORD_LENGTH = 10;

export const PASSWORD_RULE_MESSAGES: Record<PasswordRule, string> = {
  MIN_LENGTH: `at least ${MIN_PASSWORD_LENGTH} characters`,
  CHARACTER_CLASSES: 'at least three of: lower-case letter, upper-case letter, digit, other character',
  CONTAINS_USERNAME: 'must not contain the username',
  COMMON_PASSWORD: 'is one of the 10,000 most common passwords',
  RECENTLY_USED: 'is one of your last 5 passwords',
};

/**
 * The 10,000 most common passwords of SecLists (danielmiessler/SecLists,
 * Passwords/Common-Credentials/10k-most-common.txt at commit 4f84b3c, MIT licence), shipped in
 * src/auth/data/. Read from the source tree also when the service runs from dist/, as the migrations
 * are: npm start runs in the project folder.
 */
const COMMON_PASSWORDS_FILE = new URL(import.meta.url.includes('/dist/src/') ? '../../../src/auth/data/10k-most-common.txt' : './data/10k-most-common.txt', import.meta.url);

let commonPasswords: Set<string> | null = null;
export function loadCommonPasswords(): Set<string> {
  commonPasswords ??= new Set(
    readFileSync(COMMON_PASSWORDS_FILE, 'utf8')
      .split(/\r?\n/)
      .map((line) => line.trim().toLowerCase())
      .filter(Boolean),
  );
  return commonPasswords;
}

function characterClasses(password: string): number {
  let classes = 0;
  if (/\p{Ll}/u.test(password)) classes++;
  if (/\p{Lu}/u.test(password)) classes++;
  if (/\p{Nd}/u.test(password)) classes++;
  if (/[^\p{Ll}\p{Lu}\p{Nd}]/u.test(password)) classes++;
  return classes;
}

/** The rules of the policy the password breaks, in the order of the spec (empty: it passes). */
export function passwordProblems(password: string, username: string): PasswordRule[] {
  const problems: PasswordRule[] = [];
  if ([...password].length < MIN_PASSWORD_LENGTH) problems.push('MIN_LENGTH');
  if (characterClasses(password) < 3) problems.push('CHARACTER_CLASSES');
  if (username && password.toLowerCase().includes(username.toLowerCase())) problems.push('CONTAINS_USERNAME');
  if (loadCommonPasswords().has(password.toLowerCase())) problems.push('COMMON_PASSWORD');
  return problems;
}
