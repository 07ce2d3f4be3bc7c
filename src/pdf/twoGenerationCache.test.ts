import { describe, expect, it } from 'vitest';
import { twoGenerationCache } from './twoGenerationCache.js';

describe('the two-generation cache', () => {
  it('computes a key once while it is used, and keeps what is used across generations', () => {
    const computed: string[] = [];
    const cached = twoGenerationCache(3, (key) => {
      computed.push(key);
      return key.toUpperCase();
    });
    expect([cached('a'), cached('b'), cached('a')]).toEqual(['A', 'B', 'A']);
    cached('c'); // the young generation is full: it becomes the old one
    cached('d');
    expect(cached('a')).toBe('A'); // read from the old generation, back to the young one
    cached('e');
    cached('f'); // full again: the old generation (b, c) goes
    expect(cached('a')).toBe('A');
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    cached('b');
    expect(computed.at(-1)).toBe('b');
  });

  it('never holds more than twice its capacity, however many distinct keys pass through', () => {
    const computed = new Set<string>();
    let calls = 0;
    const cached = twoGenerationCache(100, (key) => {
      calls += 1;
      computed.add(key);
      return key;
    });
    for (let index = 0; index < 10_000; index++) cached(`word${index}`);
    calls = 0;
    for (let index = 0; index < 10_000; index++) cached(`word${index}`);
    // Every key but the last ≤ 200 must be computed again: the rest were forgotten.
    expect(calls).toBeGreaterThanOrEqual(10_000 - 200);
  });
});
