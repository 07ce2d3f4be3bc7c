import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../src/domain/money.js';
import { protectionEntries } from '../src/domain/protectionPaymentRule.js';
import { fieldCipher } from '../src/keys/fieldCipher.js';
import { payableFactsOfRegion } from '../src/protection/payableFacts.repository.js';
import { protectionStandardsForRegion } from '../src/protection/standards.repository.js';
import { withTestApp } from './support/lifecycle.js';
import { caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty, unsupported } from './support/protection.js';
import type { Client, TestApp } from './support/testApp.js';

// Worked example 3 of protection.md §13 over the basic-living rolls (§5 age 18, §8): a child born
// 2008-03-15, de facto unsupported and scattered, covered from 2025-07 at 600.00 a month, is paid
// through the month of the 18th birthday; from April 2026 the case reads `ended` and no roll pays
// or holds it; studying recorded in May makes it recognised again through the expected
// graduation, and the next roll pays April as arrears with May. Rolls are built by 民政甲 and
// issued by 民政乙; finance records each transfer paid. The tests run in order.

let test: TestApp;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);


interface Roll {
  id: string;
  number: string;
  status: string;
  caseCount: number;
  total: string;
  arrearsTotal: string;
  byStandard: Record<string, string>;
  transfers: { transferNo: number; caseId: string; months: string[]; amount: string; status: string }[];
  held: { caseId: string; reason: string; months: string[]; amount: string }[];
}
interface PaymentRow {
  month: string;
  amount: string;
  status: string;
  rollNumber: string | null;
}

let childId: string;
let caseId: string;

const caseStatus = async () => (await expectOk(county.civilAffairs.get(`/api/v1/protection/cases/${caseId}`), 'case')) as { status: string; recognition: { coverFrom: string; lastMonth: string } };
const filePayments = async () => ((await expectOk(county.township.get(`/api/v1/protection/children/${childId}/file`), 'file')).payments as PaymentRow[]).map((row) => [row.month, row.status, row.rollNumber, row.amount]);
const monthsBetween = (from: string, to: string) => {
  const months: string[] = [];
  for (let year = Number(from.slice(0, 4)), month = Number(from.slice(5, 7)); `${year}-${String(month).padStart(2, '0')}` <= to; month === 12 ? ((month = 1), (year += 1)) : (month += 1)) {
    months.push(`${year}-${String(month).padStart(2, '0')}`);
  }
  return months;
};

/** Built by 民政甲, issued by 民政乙, every transfer paid by finance: the roll as issued. */
async function payMonth(month: string, builtOn: string, by: { builder: Client; issuer: Client } = { builder: county.civilAffairs, issuer: county.civilAffairs2 }) {
  at(builtOn);
  const built = (await expectOk(by.builder.post('/api/v1/protection/rolls', { month }), `build ${month}`)) as Roll;
  const issued = (await expectOk(by.issuer.post(`/api/v1/protection/rolls/${built.id}/issue`), `issue ${month}`)) as Roll;
  if (issued.transfers.length > 0) {
    await expectOk(county.finance.post(`/api/v1/protection/rolls/${built.id}/results`, { results: issued.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) }), `results ${month}`);
  }
  return { built, issued };
}

/** What the rule gives the case from the facts a roll reads (payableFactsOfRegion), through `throughMonth`. */
async function ruleEntries(throughMonth: string) {
  const found = (await payableFactsOfRegion(test.db, fieldCipher(test.keyring), county.regionCode, { childId })).find((facts) => facts.caseId === caseId)!;
  return protectionEntries(found.facts, throughMonth, county.regionCode, await protectionStandardsForRegion(test.db, county.regionCode));
}
const total = (rows: readonly { amount: string }[]) => formatMoney(sumMoney(rows.map((row) => money(row.amount))));

describe('worked example 3 over the rolls: age 18 and studying', () => {
  it('born 2008-03-15, de_facto_unsupported, scattered, recognised 2025-06-10: coverFrom 2025-07, lastMonth 2026-03; the roll of 2026-03 pays 2025-07 … 2026-03 = 9 × 600.00 = 5400.00 (arrears 4800.00)', async () => {
    at('2025-06-02');
    county = await createProtectionCounty(test);
    const child = await townshipChild(county, { name: '满十八', birthDate: '2008-03-15' });
    childId = child.id;
    const received = await receiveCase(county, caseBody(child.id, unsupported));
    await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
    at('2025-06-10');
    const recognised = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, { livingArrangement: 'scattered' }), 'recognise');
    caseId = recognised.id;
    expect(recognised.recognition).toMatchObject({ coverFrom: '2025-07', lastMonth: '2026-03', livingArrangement: 'scattered', categories: ['de_facto_unsupported'] });

    const { built, issued } = await payMonth('2026-03', '2026-03-05');
    expect(built).toMatchObject({ number: `${county.regionCode}-JB-2026-03`, caseCount: 1, total: '5400.00', arrearsTotal: '4800.00', byStandard: { orphanInstitution: '0.00', orphanScattered: '0.00', deFactoUnsupported: '5400.00' }, held: [] });
    expect(built.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([[caseId, monthsBetween('2025-07', '2026-03'), '5400.00']]);
    expect(issued).toMatchObject({ status: 'issued', total: '5400.00' });

    // The rule on the facts a roll reads: nine months of 600.00, nothing after the birthday's month.
    const entries = await ruleEntries('2026-12');
    expect(entries.map((entry) => [entry.month, entry.kind, entry.amount])).toEqual(monthsBetween('2025-07', '2026-03').map((month) => [month, 'deFactoUnsupported', '600.00']));
    expect(total(entries)).toBe('5400.00');
  });

  it('from April 2026 the case reads ended; the roll of 2026-04 has no entry for it and does not list it held (total 0.00); its file shows 2025-07 … 2026-03 paid, 5400.00, and nothing for April', async () => {
    at('2026-03-31');
    expect((await caseStatus()).status).toBe('recognised');
    at('2026-04-01');
    expect(await caseStatus()).toMatchObject({ status: 'ended', recognition: { lastMonth: '2026-03' } });

    const { built } = await payMonth('2026-04', '2026-04-03');
    expect(built).toMatchObject({ number: `${county.regionCode}-JB-2026-04`, caseCount: 0, total: '0.00', arrearsTotal: '0.00', transfers: [], held: [] });

    const payments = await filePayments();
    expect(payments).toEqual(monthsBetween('2025-07', '2026-03').map((month) => [month, 'paid', `${county.regionCode}-JB-2026-03`, '600.00']));
    expect(total(payments.map(([, , , amount]) => ({ amount: amount! })))).toBe('5400.00');
  });

  it('studying recorded 2026-05-06 (vocational_high_school, graduation 2027-06): recognised again, lastMonth 2027-06; April is due as arrears; the roll of 2026-05 pays 2026-04 and 2026-05 = 1200.00 (arrears 600.00); the file lists them paid', async () => {
    at('2026-05-06');
    const studying = await expectOk(
      county.township.post(`/api/v1/protection/cases/${caseId}/studying`, { school: '达州市职业高级中学', stage: 'vocational_high_school', expectedGraduation: '2027-06' }),
      'studying',
    );
    expect(studying).toMatchObject({ status: 'recognised', recognition: { lastMonth: '2027-06' }, studying: { stage: 'vocational_high_school', expectedGraduation: '2027-06', recordedOn: '2026-05-06' } });
    // Before the roll: April and May are due (the case is not held).
    expect((await filePayments()).slice(-2)).toEqual([
      ['2026-04', 'due', null, '600.00'],
      ['2026-05', 'due', null, '600.00'],
    ]);

    const { built } = await payMonth('2026-05', '2026-05-08');
    expect(built).toMatchObject({ number: `${county.regionCode}-JB-2026-05`, caseCount: 1, total: '1200.00', arrearsTotal: '600.00', byStandard: { deFactoUnsupported: '1200.00' }, held: [] });
    expect(built.transfers.map((transfer) => [transfer.caseId, transfer.months, transfer.amount])).toEqual([[caseId, ['2026-04', '2026-05'], '1200.00']]);

    expect(await filePayments()).toEqual([
      ...monthsBetween('2025-07', '2026-03').map((month) => [month, 'paid', `${county.regionCode}-JB-2026-03`, '600.00']),
      ['2026-04', 'paid', `${county.regionCode}-JB-2026-05`, '600.00'],
      ['2026-05', 'paid', `${county.regionCode}-JB-2026-05`, '600.00'],
    ]);
  });

  it('the rule on the facts a roll reads gives 2026-04 … 2027-06: 15 × 600.00 = 9000.00, nothing after graduation; the case ends again from 2027-07', async () => {
    const after = (await ruleEntries('2028-12')).filter((entry) => entry.month >= '2026-04');
    expect(after.map((entry) => [entry.month, entry.amount])).toEqual(monthsBetween('2026-04', '2027-06').map((month) => [month, '600.00']));
    expect(after).toHaveLength(15);
    expect(total(after)).toBe('9000.00');
    at('2027-06-30');
    expect((await caseStatus()).status).toBe('recognised');
    at('2027-07-01');
    expect((await caseStatus()).status).toBe('ended');
  });
});
