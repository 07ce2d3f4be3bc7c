import { describe, expect, it } from 'vitest';
import { maskAccountNumber, maskForAudit, maskName } from './masks.js';

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

describe('phones and accounts in audit rows: first 3 and last 4 digits', () => {
  it.each([
    ['13800000000', '138****0000'],
    ['13800001234', '138****1234'],
    ['0818-2123456', '081****3456'],
    ['+86 138 0000 1234', '861******1234'],
    ['6214670000000000808', '621************0808'],
    ['1234567', '*******'],
    ['12345', '*****'],
  ])('%s is kept as %s', (value, masked) => expect(maskForAudit(value)).toBe(masked));
});

describe('account numbers as those who do not pay them see them: first 4 and last 4', () => {
  it.each([
    ['6214670000000000808', '6214***********0808'],
    ['12345678', '********'],
  ])('%s is shown as %s', (value, masked) => expect(maskAccountNumber(value)).toBe(masked));
});
