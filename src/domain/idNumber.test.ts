import { describe, expect, it } from 'vitest';
import { checkCharacter, maskIdNumber, parseIdNumber, certificateNumberProblem } from './idNumber.js';

describe('parseIdNumber (GB 11643)', () => {
  it.each([
    // A published sample number and numbers built around its check rule.
    ['11010519491231002X', { birthDate: '1949-12-31', sex: 'female' }],
    ['511702202003150029', { birthDate: '2020-03-15', sex: 'female' }],
    ['511702201902290018', { problem: 'birth_date' }],
    ['511702202002290011', { birthDate: '2020-02-29', sex: 'male' }],
  ])('%s', (idNumber, expected) => {
    expect(parseIdNumber(idNumber)).toEqual(expected);
  });

  it.each([
    ['too short', '51170220200315002'],
    ['too long', '5117022020031500291'],
    ['letters inside', '5117022020A3150029'],
    ['lower-case x', '11010519491231002x'],
    ['empty', ''],
    ['spaces', ' 511702202003150029'],
  ])('refuses the format: %s', (_label, idNumber) => {
    expect(parseIdNumber(idNumber)).toEqual({ problem: 'format' });
  });

  it.each([
    ['month 13', '511702202013150020'],
    ['day 32', '511702202003320020'],
    ['day 00', '511702202003000020'],
    ['31 April', '511702202004310020'],
    ['before 1900', '511702189912310020'],
  ])('refuses the birth date: %s', (_label, idNumber) => {
    expect(parseIdNumber(idNumber)).toEqual({ problem: 'birth_date' });
  });

  it('refuses every wrong check character', () => {
    const body = '51170220200315002';
    expect(checkCharacter(body)).toBe('9');
    for (const wrong of '012345678X') {
      expect(parseIdNumber(body + wrong)).toEqual({ problem: 'checksum' });
    }
  });

  it('derives sex from the parity of the 17th digit', () => {
    expect(parseIdNumber('110105194912310021')).toEqual({ problem: 'checksum' });
    expect(parseIdNumber('11010519491231001' + checkCharacter('11010519491231001'))).toMatchObject({ sex: 'male' });
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 characters', () => {
    expect(maskIdNumber('511702202003150029')).toBe('511702********0029');
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });
});

describe('a disability certificate number (残疾人证号) for a child', () => {
  const id = '51170220180204101X';
  it.each([
    [`${id}63`, null],
    [`${id.toLowerCase()}41`, null],
    [`51170220180204101963`, '前 18 位应与该儿童的身份证号相同'],
    [`${id}6`, '应为 20 位'],
    [`${id}83`, '应为 20 位'],
    [`${id}65`, '应为 20 位'],
    ['CERT-1', '应为 20 位'],
  ])('%s → %s', (certificateNo, hint) => {
    const problem = certificateNumberProblem(id, certificateNo);
    if (hint === null) expect(problem).toBeNull();
    else expect(problem?.hint).toContain(hint);
  });
});
