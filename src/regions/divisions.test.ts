import { describe, expect, it } from 'vitest';
import { regionName, shortVillageName, townshipName, villageName } from './divisions.js';

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

describe('township and village names from the division table', () => {
  it.each([
    ['511702001', '东城街道'],
    ['511702102', '罗江镇'],
  ])('township %s is %s', (code, name) => {
    expect(townshipName(code)).toBe(name);
  });
  it('an unknown township has no name', () => expect(townshipName('511702101')).toBeNull());

  it.each([
    ['511702001001', '二马路社区居民委员会', '二马路社区'],
    ['511702003001', '团包梁社区居民委员会', '团包梁社区'],
    ['511702102200', '金凤村民委员会', '金凤村'],
  ])('village %s is %s (%s)', (code, name, short) => {
    expect(villageName(code)).toBe(name);
    expect(shortVillageName(villageName(code)!)).toBe(short);
  });
  it('an unknown village has no name', () => {
    expect(villageName('511702101203')).toBeNull();
    expect(villageName('999999001001')).toBeNull();
  });
});
