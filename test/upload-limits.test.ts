import { describe, expect, it } from 'vitest';
import { tableCounts, type TestApp } from './support/testApp.js';
import { type World } from './support/world.js';
import { xlsx } from './support/zip.js';
import { withTestWorld } from './support/lifecycle.js';

// Uploads within fixed limits (src/http/spreadsheet.ts): a file that passes one is refused with
// 400 as soon as it does, and nothing is written. The expanding files are made here, not committed.

let test: TestApp, world: World;
withTestWorld((made) => ({ test, world } = made));

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = ['结算申请号', '救助项目', '总费用', '自审人'];

async function refusedWithoutWrite(url: string, body: Buffer | string, type: string, message: RegExp) {
  const before = await tableCounts(test.db);
  const response = await world.a.request('POST', url, body, { 'content-type': type });
  expect([response.status, response.body.error?.code], JSON.stringify(response.body).slice(0, 300)).toEqual([400, 'VALIDATION_FAILED']);
  expect(response.body.error.message).toMatch(message);
  expect(await tableCounts(test.db)).toEqual(before);
}

describe('XLSX uploads that expand', () => {
  // 160,000 identical rows of 500 characters: 80 MB of XML in a file of a few hundred kilobytes.
  const FILLER = 'x'.repeat(500);
  const expanding = (header: string[]) => xlsx(header, 160_000, () => [FILLER, FILLER.slice(0, 10)], { unnumbered: true });

  it('a small file whose sheet expands past the limit (80 MB of XML) is refused: "expands beyond"', async () => {
    const bomb = expanding(HEADER);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await refusedWithoutWrite('/api/v1/claims/bulk', bomb, XLSX, /expands beyond 64 MB/);
  });

  it('a part that lies about its size (declares 1 kB, inflates to megabytes) is refused', async () => {
    const liar = xlsx(HEADER, 60_000, (index) => [`L${index}`, '康复训练', '1', 'x'], { declaredSheetSize: 1024 });
    await refusedWithoutWrite('/api/v1/claims/bulk', liar, XLSX, /expands beyond/);
  });

  it('5,001 rows within the byte limit: "more than 5,000 rows"', async () => {
    const many = xlsx(HEADER, 5001, (index) => [`M${index}`, '康复训练', '1', 'x']);
    await refusedWithoutWrite('/api/v1/claims/bulk', many, XLSX, /more than 5,000 rows/);
  });

  it('a cell longer than 2,000 characters is refused naming its row', async () => {
    const long = xlsx(HEADER, 3, (index) => [index === 1 ? 'A'.repeat(2001) : `C${index}`, '康复训练', '1', 'x']);
    await refusedWithoutWrite('/api/v1/claims/bulk', long, XLSX, /row 3, column 1 holds more than 2000 characters/);
  });

  it('not a zip at all: "cannot be read"', async () => {
    await refusedWithoutWrite('/api/v1/claims/bulk', Buffer.from('PK\u0003\u0004 but nothing else'), XLSX, /cannot be read/);
  });

  it('the same reader serves children and reconciliation statements', async () => {
    await refusedWithoutWrite('/api/v1/children/bulk', expanding(['身份证号', '姓名']), XLSX, /expands beyond/);
    const statement = expanding(['结算申请号', '金额']);
    await refusedWithoutWrite(`/api/v1/reconciliations?institutionId=${world.instA.id}&from=2026-01&to=2026-12`, statement, XLSX, /expands beyond/);
  });

  it('a well-formed file within every limit is read as before', async () => {
    const fine = xlsx(HEADER, 2, (index) => [`OK-${index}`, '康复训练', '1', 'x']);
    const response = await world.a.request('POST', '/api/v1/claims/bulk', fine, { 'content-type': XLSX });
    expect(response.status).toBe(200);
    expect(response.body.results.map((result: { fileRow: number }) => result.fileRow)).toEqual([2, 3]);
  });
});

describe('CSV uploads within the same limits', () => {
  it('5,001 rows: "more than 5,000 rows", nothing written', async () => {
    const csv = [HEADER.join(','), ...Array.from({ length: 5001 }, (_, index) => `M-${index},康复训练,1,x`)].join('\n');
    await refusedWithoutWrite('/api/v1/claims/bulk', csv, 'text/csv', /more than 5,000 rows/);
  });

  it('a row with more than 200 cells, and an over-long cell, are refused', async () => {
    const wide = Array.from({ length: 201 }, (_, index) => `c${index}`).join(',');
    await refusedWithoutWrite('/api/v1/claims/bulk', `${wide}\n${wide}`, 'text/csv', /row 1 has 201 cells; at most 200/);
    await refusedWithoutWrite('/api/v1/claims/bulk', `${HEADER.join(',')}\nR-1,康复训练,1,${'y'.repeat(2500)}`, 'text/csv', /2000 characters|cannot be read/);
  });

  it('a statement of 20,000 lines is still read (reconciliation allows more rows than bulk intake)', async () => {
    const csv = ['结算申请号,金额', ...Array.from({ length: 6000 }, (_, index) => `S-${index},1.00`)].join('\n');
    const response = await world.a.request('POST', `/api/v1/reconciliations?institutionId=${world.instA.id}&from=2026-01&to=2026-12`, csv, { 'content-type': 'text/csv' });
    expect(response.status).toBe(201);
    expect(response.body.summary.missingInSystem).toBe(6000);
  });
});
