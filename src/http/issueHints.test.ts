import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { IdNumber } from '../children/children.schemas.js';
import { checkCharacter } from '../domain/idNumber.js';
import { issueHint } from './issueHints.js';
import { DateString, MoneyInput, MonthString, RegionCode, Text } from './schemas.js';

const hintOf = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  if (result.success) throw new Error('expected a refusal');
  return issueHint(result.error.issues[0]!);
};

const body = '51170220200315002';
const wrongCheck = body + (checkCharacter(body) === '1' ? '2' : '1');

describe('what a clerk is told to do about a refused field', () => {
  it.each([
    ['a wrong check character', IdNumber, wrongCheck, '身份证号最后一位校验码与前 17 位不符，请逐位核对（多为输错一位）'],
    ['an impossible birth date', IdNumber, '511702202002300011', '身份证号第 7 至 14 位不是有效的出生日期，请核对'],
    ['17 digits', IdNumber, body, '身份证号应为 18 位：17 位数字加 1 位校验码（数字或大写 X）'],
    ['money with three decimals', MoneyInput, '1700.505', '金额应为数字，最多两位小数，如 1700 或 1700.50'],
    ['money as a JSON number', MoneyInput, 1700, '应为文字'],
    ['a region code of 5 digits', RegionCode, '51170', '应为 6 位行政区划代码，如 511702'],
    ['an empty text', Text(50), '  ', '不能为空'],
    ['a text too long', Text(5), '一二三四五六', '最多 5 个字'],
    ['a date that does not exist', DateString, '2026-02-30', '应为日期，如 2026-03-15'],
    ['a month that does not exist', MonthString, '2026-13', '应为年月，如 2026-03'],
    ['a value not in the list', z.enum(['a', 'b']), 'c', '不是可选的值之一'],
    ['a missing field', z.object({ name: z.string() }), {}, '必须填写'],
  ])('%s', (_label, schema, value, hint) => expect(hintOf(schema, value)).toBe(hint));
});
