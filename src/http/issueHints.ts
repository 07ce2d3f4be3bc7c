import type { z } from 'zod';
import { MONEY_INPUT_PATTERN } from '../domain/money.js';

// What a person should do about a field the service refused, in Chinese (the envelope's `message`
// is for whoever investigates; a detail's `hint` is for the clerk at the form or the spreadsheet).
// Built from the validation issue itself, so every schema gets it: required, too long, not one of
// the values, a money amount, an ID number's check character...

const ID_NUMBER_HINTS: Record<string, string> = {
  format: '身份证号应为 18 位：17 位数字加 1 位校验码（数字或大写 X）',
  birth_date: '身份证号第 7 至 14 位不是有效的出生日期，请核对',
  checksum: '身份证号最后一位校验码与前 17 位不符，请逐位核对（多为输错一位）',
};

/** Patterns of the shared schemas, by their source, and what to write instead. */
const PATTERN_HINTS: Record<string, string> = {
  [String(MONEY_INPUT_PATTERN)]: '金额应为数字，最多两位小数，如 1700 或 1700.50',
  [String(/^\d{6}$/)]: '应为 6 位行政区划代码，如 511702',
  [String(/^\+?[0-9][0-9 -]{4,19}$/)]: '应为电话号码，如 13800000000',
  [String(/^[0-9][0-9-]{4,19}$/)]: '应为电话号码，可带短横线，如 0818-2123456',
  [String(/^[a-z0-9._-]{3,32}$/)]: '用户名为 3 至 32 位小写字母、数字或 . _ -',
};

const TYPE_NAMES: Record<string, string> = { string: '文字', number: '数字', boolean: '是或否（true / false）', object: '一组字段', array: '列表' };

/** What the path's last part is: a date, a month... (their checks are refinements, not patterns). */
function dateLike(issue: z.core.$ZodIssue): string | null {
  const last = String(issue.path.at(-1) ?? '');
  if (/month|periodFrom|periodTo|^from$|^to$/i.test(last)) return '应为年月，如 2026-03';
  if (/date|On$|At$|effectiveFrom/i.test(last)) return '应为日期，如 2026-03-15';
  return null;
}

/** The hint for one issue of a zod validation, or null when there is nothing better than the field's name. */
export function issueHint(issue: z.core.$ZodIssue): string | null {
  switch (issue.code) {
    case 'custom': {
      const params = (issue as { params?: { problem?: string; hint?: string } }).params;
      if (params?.problem && ID_NUMBER_HINTS[params.problem]) return ID_NUMBER_HINTS[params.problem]!;
      if (params?.hint) return params.hint;
      if (/YYYY-MM-DD|calendar date/.test(issue.message)) return '应为日期，如 2026-03-15';
      if (/YYYY-MM\b|calendar month/.test(issue.message)) return '应为年月，如 2026-03';
      return null;
    }
    case 'invalid_type':
      // zod keeps no input in the issue: a missing field is said in its message.
      return /received undefined$/.test(issue.message) ? '必须填写' : `应为${TYPE_NAMES[issue.expected] ?? '另一种格式'}`;
    case 'too_small': {
      const { origin, minimum } = issue as { origin?: string; minimum?: number | bigint };
      if (origin === 'string') return Number(minimum) <= 1 ? '不能为空' : `至少 ${minimum} 个字`;
      if (origin === 'array' || origin === 'set') return `至少 ${minimum} 项`;
      return `不能小于 ${minimum}`;
    }
    case 'too_big': {
      const { origin, maximum } = issue as { origin?: string; maximum?: number | bigint };
      if (origin === 'string') return `最多 ${maximum} 个字`;
      if (origin === 'array' || origin === 'set') return `最多 ${maximum} 项`;
      return `不能大于 ${maximum}`;
    }
    case 'invalid_format': {
      const pattern = (issue as { pattern?: string }).pattern;
      return (pattern && PATTERN_HINTS[pattern]) ?? dateLike(issue) ?? '格式不对';
    }
    case 'invalid_value':
      return '不是可选的值之一';
    case 'unrecognized_keys':
      return `不认识的字段：${issue.keys.join('、')}`;
    default:
      return null;
  }
}
