import { describe, expect, it } from 'vitest';
import { loadCommonPasswords, passwordProblems } from './passwordPolicy.js';

describe('the password policy (security.md §1)', () => {
  it.each([
    ['Kx9#mountain', []],
    ['short1A!', ['MIN_LENGTH']],
    ['alllowercaseletters', ['CHARACTER_CLASSES']],
    ['lowercase and 1234', []],
    ['ALLUPPERCASE1234', ['CHARACTER_CLASSES']],
    ['Zhang.Hao-2026!', ['CONTAINS_USERNAME']],
    ['1234567890', ['CHARACTER_CLASSES', 'COMMON_PASSWORD']],
    ['Password12', []],
    ['abc', ['MIN_LENGTH', 'CHARACTER_CLASSES']],
    ['中文密码中文密码Ab1', []],
  ])('%s breaks %j', (password, rules) => {
    expect(passwordProblems(password, 'zhang.hao')).toEqual(rules);
  });

  it('compares with the 10,000 most common passwords without case', () => {
    const common = loadCommonPasswords();
    expect(common.size).toBeGreaterThan(9900);
    expect(common.has('password')).toBe(true);
    // "Qwertyuiop" and "Q1w2e3r4t5" meet the length and classes; the list refuses them.
    expect(passwordProblems('Qwertyuiop1', 'someone')).toEqual([]);
    expect(common.has('1q2w3e4r5t')).toBe(true);
    expect(passwordProblems('1Q2W3E4R5T', 'someone')).toEqual(['CHARACTER_CLASSES', 'COMMON_PASSWORD']);
    expect(passwordProblems('1q2w3e4r5T', 'someone')).toEqual(['COMMON_PASSWORD']);
  });
});
