import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, fieldName, REASON_NAMES } from './client/words.js';

// The console must say in words what every error of the API means: each code api.md names, and
// each the service answers with, has a message.
const apiSpec = readFileSync(new URL('../../../shared/spec/api.md', import.meta.url), 'utf8');
const serviceErrors = readFileSync(new URL('../http/errors.ts', import.meta.url), 'utf8');

describe('error words', () => {
  const codesInSpec = [...new Set(apiSpec.match(/`([A-Z][A-Z_]{3,})`/g)!.map((code) => code.slice(1, -1)))].filter(
    (code: string) => !(code in REASON_NAMES) && !['HOST', 'PORT', 'DATA_DIR', 'DATABASE_URL', 'BOOTSTRAP_ADMIN_TOKEN', 'SOME_CODE'].includes(code),
  );
  const codesOfService = [...serviceErrors.matchAll(/^ {2}([A-Z_]+): \d{3},$/gm)].map((match) => match[1]!);

  it.each([...new Set([...codesInSpec, ...codesOfService])])('%s has a message', (code) => {
    expect(ERROR_MESSAGES[code]).toMatch(/[\u4e00-\u9fff]/);
  });

  it('names fields as the forms label them, rows by their number', () => {
    expect(fieldName('deductions.medicalAid')).toBe('医疗救助已支付');
    expect(fieldName('lines.2.amount')).toBe('对账明细第 3 行 金额');
    expect(fieldName(null)).toBeNull();
  });
});
