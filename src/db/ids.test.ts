import { describe, expect, it } from 'vitest';
import { isUuid, newId } from './ids.js';

describe('newId', () => {
  it('gives UUIDv7s (version 7, RFC 9562 variant) carrying the time they were made', () => {
    const before = Date.now();
    const id = newId();
    const after = Date.now();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    const millis = Number.parseInt(id.replaceAll('-', '').slice(0, 12), 16);
    expect(millis).toBeGreaterThanOrEqual(before);
    expect(millis).toBeLessThanOrEqual(after + 1);
  });

  it('stays unique and strictly increasing across many refills of its random pool', () => {
    // 20,000 ids draw the 4 KiB pool of random bytes afresh about 80 times, most within one millisecond.
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    for (let index = 1; index < ids.length; index++) expect(ids[index]! > ids[index - 1]!).toBe(true);
    // The random tails (the last 62 bits) never repeat: every id took bytes of its own.
    expect(new Set(ids.map((id) => id.slice(20))).size).toBe(ids.length);
  });
});
