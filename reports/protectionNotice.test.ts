import { describe, expect, it } from 'vitest';
import { pdfText } from '../src/testing/pdfTools.js';
import { renderProtectionNotice } from './protectionNotice.js';

// A notice printed in the early morning (China time) is dated that China day, not the UTC day
// before: the day a township posts it on the village board.

describe('the village notice’s date', () => {
  it('printed 2026-01-06 04:00 China time (2026-01-05 20:00 UTC) reads 2026年1月6日, and names the 民政局 objections go to', async () => {
    const pdf = await renderProtectionNotice({
      regionCode: '511702',
      countyName: '通川区',
      countyFullName: '四川省达州市通川区',
      civilAffairsOffice: '达州市通川区民政局',
      townshipName: '东城街道',
      townshipOffice: '东城街道办事处',
      villageName: '朝阳社区',
      villageCode: '511702001003',
      noticeFrom: '2026-01-06',
      noticeTo: '2026-01-12',
      supervisionPhone: '0818-2123456',
      printedAt: '2026-01-05T20:00:00.000Z',
      entries: [{ name: '张小明', categories: ['poor_family'] }],
    });
    const text = pdfText(pdf).replace(/\s+/g, '');
    expect(text).toContain('东城街道办事处2026年1月6日');
    expect(text).not.toContain('2026年1月5日');
    // Objections go to the county's 民政局 by the name set for documents.
    expect(text).toContain('向东城街道或达州市通川区民政局实名反映');
  });
});
