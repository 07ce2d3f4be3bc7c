import { describe, expect, it } from 'vitest';
import { rollJson } from './rollResponse.js';

describe('a large roll written as a stream', () => {
  it('is the JSON of the roll, keys in the same order, whatever the number of transfers', async () => {
    const transfer = (transferNo: number) => ({
      transferNo,
      beneficiaryId: `b${transferNo}`,
      childName: '张"小明',
      community: '新华村',
      communityCode: transferNo % 2 ? null : '511702001001',
      accountName: '张大山',
      accountNumber: '6214670000000000001',
      bank: '四川农信',
      months: ['2025-11', '2025-12'],
      amount: '60.00',
      status: 'pending' as const,
      failureReason: null,
    });
    for (const count of [0, 1, 500, 501, 2501]) {
      const roll = {
        id: 'r1',
        number: '511702-GA-2025-12',
        regionCode: '511702',
        month: '2025-12',
        status: 'draft' as const,
        noticeFrom: null,
        noticeTo: null,
        beneficiaryCount: count,
        entryCount: count * 2,
        total: '0.00',
        totalInWords: '零元整',
        byFund: { county: '0.00', hardship: '0.00' },
        arrearsTotal: '0.00',
        sha256: null,
        issuedAt: null,
        createdAt: '2025-12-15T02:00:00.000Z',
        builtBy: { id: 'u1', name: '钱"民政' },
        issuedBy: null,
        transfers: Array.from({ length: count }, (_, index) => transfer(index + 1)),
        held: [{ beneficiaryId: 'b0', childName: '李四', community: '朝阳社区', reason: 'manual' as const, months: ['2025-12'], amount: '30.00' }],
        objections: [],
      };
      let written = '';
      for await (const chunk of rollJson(roll)) written += chunk;
      expect(written).toBe(JSON.stringify(roll));
    }
  });
});
