import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../domain/sha256.js';
import { canonicalRollJson, canonicalRollSha256InSlices, type CanonicalRoll } from './rollCanonical.js';

describe('the canonical roll hashed in slices', () => {
  it('hashes the same bytes as canonicalRollJson, whatever the slice size', async () => {
    const roll: CanonicalRoll = {
      number: '511702-GA-2025-12',
      regionCode: '511702',
      month: '2025-12',
      noticeFrom: '2025-12-11',
      noticeTo: '2025-12-17',
      issuedAt: '2025-12-18T02:00:00.000Z',
      transferCount: 23,
      total: '690.00',
      byFund: { county: '690.00', hardship: '0.00' },
      arrearsTotal: '0.00',
      transfers: Array.from({ length: 23 }, (_, index) => ({
        transferNo: index + 1,
        beneficiaryId: `b${index}`,
        childName: `张"${index}`,
        community: '新华村',
        bank: '四川农信',
        accountName: '张大山',
        accountNumber: '6214670000000000001',
        amount: '30.00',
        entries: [{ month: '2025-12', tier: 'care', fund: 'county', amount: '30.00' }],
      })),
    };
    expect(await canonicalRollSha256InSlices(roll)).toBe(sha256Hex(canonicalRollJson(roll)));
    expect(await canonicalRollSha256InSlices(roll, 5)).toBe(sha256Hex(canonicalRollJson(roll)));
    expect(await canonicalRollSha256InSlices({ ...roll, transfers: [], transferCount: 0 }, 5)).toBe(sha256Hex(canonicalRollJson({ ...roll, transfers: [], transferCount: 0 })));
  });
});
