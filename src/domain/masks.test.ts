import { describe, expect, it } from 'vitest';
import { maskName } from './masks.js';

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
