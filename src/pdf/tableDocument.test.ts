import { describe, expect, it } from 'vitest';
import { boundedLayoutCache } from './tableDocument.js';

describe('the bounded layout cache', () => {
  it('reads and writes like pdfkit’s dictionary, keeping the most recently used entries', () => {
    const cache = boundedLayoutCache(3);
    cache.a = 1;
    cache.b = 2;
    cache.c = 3;
    expect(cache.a).toBe(1); // a is now the most recent
    cache.d = 4; // b, the least recently used, goes
    expect(cache.b).toBeUndefined();
    expect([cache.a, cache.c, cache.d]).toEqual([1, 3, 4]);
    expect('a' in cache).toBe(true);
  });

  it('never holds more than its capacity, however many distinct words pass through', () => {
    const cache = boundedLayoutCache(100);
    for (let index = 0; index < 10_000; index++) cache[`word${index}`] = index;
    const kept = Array.from({ length: 10_000 }, (_, index) => cache[`word${index}`]).filter((value) => value !== undefined);
    expect(kept).toHaveLength(100);
  });
});
