import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../domain/idNumber.js';
import { idNumberMistake } from './client/idNumber.js';

const valid = (first17: string) => first17 + checkCharacter(first17);

describe('the console names a mistyped ID number before looking it up', () => {
  it('says nothing while the number is being typed or when it is right', () => {
    expect(idNumberMistake('5117022020')).toBeNull();
    expect(idNumberMistake(valid('51170220200315002'))).toBeNull();
    expect(idNumberMistake(` ${valid('51170220200315002').toLowerCase()} `)).toBeNull();
  });

  it('a wrong check character, and a birth date that does not exist, each in its words', () => {
    const number = valid('51170220200315002');
    const wrong = number.slice(0, 17) + (number[17] === '1' ? '2' : '1');
    expect(idNumberMistake(wrong)).toContain('校验码');
    expect(idNumberMistake(valid('51170220200230002'))).toContain('出生日期');
  });
});
