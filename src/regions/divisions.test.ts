import { describe, expect, it } from 'vitest';
import { regionName } from './divisions.js';

describe('region names from the division table', () => {
  it.each([
    ['511702', '通川区', '四川省达州市通川区'],
    ['511781', '万源市', '四川省达州市万源市'],
    ['110101', '东城区', '北京市东城区'],
  ])('%s is %s (%s)', (code, name, fullName) => {
    expect(regionName(code)).toMatchObject({ regionCode: code, name, fullName });
  });

  it('an unknown code has no name', () => {
    expect(regionName('999999')).toBeNull();
  });
});
