import { describe, expect, it } from 'vitest';
import { canonicalBatchJson, canonicalBatchSha256, sha256Hex, type CanonicalBatch } from './canonical.js';

const batch = (lines: number): CanonicalBatch => ({
  number: '511702-2026-0001',
  regionCode: '511702',
  institutionId: '01a20000-0000-7000-8000-000000000001',
  payee: { code: 'JG-001', name: '阳光"儿童"康复中心', bank: '中国农业银行', accountName: '阳光\\儿童', accountNumber: '6228480000000000000' },
  approvedThrough: '2026-11-30',
  issuedAt: '2026-11-23T02:30:00.000Z',
  claimCount: lines,
  total: '1.00',
  lines: Array.from({ length: lines }, (_, index) => ({
    lineNo: index + 1,
    claimId: `01a20000-0000-7000-8000-${String(index).padStart(12, '0')}`,
    externalRef: `R-${index}`,
    childName: index % 7 === 0 ? '欧阳\u2028明' : '张小明',
    idNumberMasked: '511702********0029',
    category: 'hearing',
    service: index % 3 === 0 ? 'device' : 'training',
    deviceKind: index % 3 === 0 ? 'hearing_aid' : null,
    period: '2026-01 至 2026-03',
    grossCost: '5400.00',
    deductionsTotal: '0.00',
    remainder: '5400.00',
    approvedAmount: '5100.00',
  })),
});

describe('the canonical hash written in slices', () => {
  it.each([0, 1, 1999, 2000, 2001, 4500])('%i lines: the same SHA-256 as the whole JSON string', async (lines) => {
    const canonical = batch(lines);
    expect(await canonicalBatchSha256(canonical)).toBe(sha256Hex(canonicalBatchJson(canonical)));
    expect(await canonicalBatchSha256(canonical, 7)).toBe(sha256Hex(canonicalBatchJson(canonical)));
  });
});
