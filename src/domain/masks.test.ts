import { describe, expect, it } from 'vitest';
import { maskName, maskPhone } from './masks.js';

describe('names on public documents', () => {
  it.each([
    ['张小明', '张*明'],
    ['张明', '张*'],
    ['欧阳明明', '欧*明明'],
    ['张', '张'],
    // A character outside the Basic Multilingual Plane is one character, not two halves.
    ['𠀋小明', '𠀋*明'],
  ])('%s is posted as %s', (name, masked) => expect(maskName(name)).toBe(masked));
});

describe('phones in the audit trail', () => {
  it.each([
    ['13800001234', '138****1234'],
    ['0818-2123456', '081****3456'],
    ['+86 138 0000 1234', '861******1234'],
    ['12345', '*****'],
  ])('%s is kept as %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));
});
