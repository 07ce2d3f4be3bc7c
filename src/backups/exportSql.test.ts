import { describe, expect, it } from 'vitest';
import { copyText } from './exportSql.js';

describe('COPY text format', () => {
  it.each([
    [null, '\\N'],
    ['张小明', '张小明'],
    ['a\tb', 'a\\tb'],
    ['line\nbreak\r', 'line\\nbreak\\r'],
    ['\\x255044462d', '\\\\x255044462d'],
    ['{"a b",c}', '{"a b",c}'],
    ['\\N', '\\\\N'],
  ])('%j → %j', (value, written) => expect(copyText(value)).toBe(written));
});
