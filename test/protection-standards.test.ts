import { describe, expect, it } from 'vitest';
import { formatMoney, money, sumMoney } from '../src/domain/money.js';
import { STANDARD_KINDS, protectionEntries } from '../src/domain/protectionPaymentRule.js';
import { fieldCipher } from '../src/keys/fieldCipher.js';
import { openProtection } from '../src/protection/caseSecrets.js';
import { payableFactsOfRegion } from '../src/protection/payableFacts.repository.js';
import { protectionStandardsForRegion } from '../src/protection/standards.repository.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { withTestApp } from './support/lifecycle.js';
import { auditRows, caseBody, createProtectionCounty, expectOk, receiveCase, townshipChild, type ProtectionCounty, unsupported } from './support/protection.js';
import type { TestApp } from './support/testApp.js';
import { createWorld, type World } from './support/world.js';

// The basic-living standards and budget (protection.md §8, §11): an admin adds a standard from a
// month, every role but the institution reads them; the region's yearly budget takes
// protectionBasicLiving; and what a roll reads of a region's cases (payableFactsOfRegion), paid by
// the rule as worked example 4 pays them.

let test: TestApp;
let world: World;
let county: ProtectionCounty;
withTestApp((made) => (test = made));

const at = (date: string) => test.clock.set(`${date}T10:00:00+08:00`);
const SEEDED = { id: '00000000-0000-7000-8000-000000000203', effectiveFrom: '2019-01', regionCode: null, orphanInstitutionMonthly: '1000.00', orphanScatteredMonthly: '600.00', deFactoUnsupportedMonthly: '600.00' };
const TONGCHUAN_2026 = { effectiveFrom: '2026-01', regionCode: '511702', orphanInstitutionMonthly: '1500.00', orphanScatteredMonthly: '1100.00', deFactoUnsupportedMonthly: '1100.00' };

describe('basic-living standards', () => {
  it('the seeded default 1000.00 / 600.00 / 600.00 from 2019-01 for every region is read by every role but the institution (403)', async () => {
    at('2025-10-08');
    world = await createWorld(test);
    county = await createProtectionCounty(test);
    for (const reader of [world.admin, world.auditor, world.reviewer, world.finance, county.civilAffairs, county.township, county.health]) {
      const list = await expectOk(reader.get('/api/v1/protection/standards'), 'standards');
      expect(list.items).toEqual([{ ...SEEDED, createdAt: expect.any(String) }]);
    }
    const refused = await world.a.get('/api/v1/protection/standards');
    expect([refused.status, refused.body.error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('an admin adds a region’s standard (201, audit protection_standard.created); deFactoUnsupportedMonthly defaults to orphanScatteredMonthly; the same region and month again is 409 ALREADY_EXISTS', async () => {
    const body = { effectiveFrom: '2026-01', regionCode: '511702', orphanInstitutionMonthly: '1500', orphanScatteredMonthly: '1100.0' };
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/protection/standards', body), 403, 'FORBIDDEN');
    await expectRefusedUnchanged(test.db, () => world.a.post('/api/v1/protection/standards', body), 403, 'FORBIDDEN');
    const made = await world.admin.post('/api/v1/protection/standards', body);
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.any(String), ...TONGCHUAN_2026, createdAt: expect.any(String) });
    const audit = await auditRows(test.db, { action: 'protection_standard.created' });
    expect(audit.map((row) => [row.entityType, row.entityId, row.regionCode, row.data])).toEqual([
      ['protection_standard', made.body.id, '511702', { effectiveFrom: '2026-01', regionCode: '511702', orphanInstitutionMonthly: '1500.00', orphanScatteredMonthly: '1100.00', deFactoUnsupportedMonthly: '1100.00' }],
    ]);
    const again = await expectRefusedUnchanged(test.db, () => world.admin.post('/api/v1/protection/standards', { ...body, deFactoUnsupportedMonthly: '900.00' }), 409, 'ALREADY_EXISTS');
    expect(again.body.error.message).toContain('511702');
    // The default's own month is as unique as a region's (nulls not distinct).
    await expectRefusedUnchanged(test.db, () => world.admin.post('/api/v1/protection/standards', { ...body, effectiveFrom: '2019-01', regionCode: null }), 409, 'ALREADY_EXISTS');

    const defaultOf2027 = await expectOk(world.admin.post('/api/v1/protection/standards', { effectiveFrom: '2027-01', orphanInstitutionMonthly: '1200.00', orphanScatteredMonthly: '700.00', deFactoUnsupportedMonthly: '750.50' }), 'default');
    expect(defaultOf2027).toMatchObject({ regionCode: null, deFactoUnsupportedMonthly: '750.50' });
    const listed = (await county.township.get('/api/v1/protection/standards')).body.items as { effectiveFrom: string; regionCode: string | null }[];
    expect(listed.map((item) => [item.effectiveFrom, item.regionCode])).toEqual([
      ['2027-01', null],
      ['2026-01', '511702'],
      ['2019-01', null],
    ]);
  });

  it('bad input is 400 VALIDATION_FAILED in the error envelope and changes nothing: a bad month, a negative amount, three decimals, an unknown region, a missing amount, an unknown field', async () => {
    const good = { effectiveFrom: '2028-01', regionCode: '511702', orphanInstitutionMonthly: '1500.00', orphanScatteredMonthly: '1100.00' };
    for (const [bad, field] of [
      [{ effectiveFrom: '2028-13' }, 'effectiveFrom'],
      [{ effectiveFrom: '2028-1' }, 'effectiveFrom'],
      [{ orphanScatteredMonthly: '-1.00' }, 'orphanScatteredMonthly'],
      [{ deFactoUnsupportedMonthly: '-0.01' }, 'deFactoUnsupportedMonthly'],
      [{ orphanInstitutionMonthly: '1500.005' }, 'orphanInstitutionMonthly'],
      [{ orphanInstitutionMonthly: 1500 }, 'orphanInstitutionMonthly'],
      [{ regionCode: '999999' }, 'regionCode'],
      [{ regionCode: '51170' }, 'regionCode'],
      [{ orphanScatteredMonthly: undefined }, 'orphanScatteredMonthly'],
    ] as const) {
      const refused = await expectRefusedUnchanged(test.db, () => world.admin.post('/api/v1/protection/standards', { ...good, ...bad }), 400, 'VALIDATION_FAILED');
      expect(refused.body.error.details.map((detail: { field: string }) => detail.field), JSON.stringify(bad)).toContain(field);
    }
    await expectRefusedUnchanged(test.db, () => world.admin.post('/api/v1/protection/standards', { ...good, careMonthly: '30.00' }), 400, 'VALIDATION_FAILED');
  });
});

describe('the budget of basic living', () => {
  it('PUT /regions/:regionCode/budgets/:year takes protectionBasicLiving (GET returns it; omitted keeps it; null removes it; negative is 400 and changes nothing)', async () => {
    const set = await expectOk(world.admin.put('/api/v1/regions/511702/budgets/2026', { rehabilitation: '4600000.00', protectionBasicLiving: '2400000' }), 'budget');
    expect(set).toMatchObject({ regionCode: '511702', year: 2026, rehabilitation: '4600000.00', allowanceCounty: null, allowanceHardship: null, protectionBasicLiving: '2400000.00' });
    expect((await county.civilAffairs.get('/api/v1/regions/511702/budgets/2026')).body).toMatchObject({ protectionBasicLiving: '2400000.00' });
    expect((await world.finance.get('/api/v1/regions/511702/budgets/2027')).body).toMatchObject({ protectionBasicLiving: null });
    const kept = await expectOk(world.admin.put('/api/v1/regions/511702/budgets/2026', { allowanceCounty: '80000.00' }), 'keep');
    expect(kept).toMatchObject({ allowanceCounty: '80000.00', protectionBasicLiving: '2400000.00' });
    for (const bad of [{ protectionBasicLiving: '-1.00' }, { protectionBasicLiving: '1.001' }, { protectionBasicLiving: 100 }]) {
      await expectRefusedUnchanged(test.db, () => world.admin.put('/api/v1/regions/511702/budgets/2026', bad), 400, 'VALIDATION_FAILED');
    }
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.put('/api/v1/regions/511702/budgets/2026', { protectionBasicLiving: '1.00' }), 403, 'FORBIDDEN');
    const removed = await expectOk(world.admin.put('/api/v1/regions/511702/budgets/2026', { protectionBasicLiving: null }), 'remove');
    expect(removed).toMatchObject({ rehabilitation: '4600000.00', allowanceCounty: '80000.00', protectionBasicLiving: null });
    const audit = await auditRows(test.db, { action: 'budget.set' });
    expect(audit.map((row) => [(row.data.before as { protectionBasicLiving: string | null }).protectionBasicLiving, (row.data.after as { protectionBasicLiving: string | null }).protectionBasicLiving])).toEqual([
      [null, '2400000.00'],
      ['2400000.00', '2400000.00'],
      ['2400000.00', null],
    ]);
  });
});


/** A case received and checked on `receivedOn`, recognised on `recognisedOn` (coverFrom: the next month). */
async function recognised(name: string, receivedOn: string, recognisedOn: string, body: Record<string, unknown> = {}, village?: string) {
  at(receivedOn);
  const child = await townshipChild(county, { name, ...(village ? { village } : {}) });
  const received = await receiveCase(county, caseBody(child.id, body));
  await expectOk(county.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  at(recognisedOn);
  const made = await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, {}), 'recognise');
  return { child, kase: made as { id: string; recognition: { coverFrom: string } } };
}

describe('payableFactsOfRegion: what a roll reads of a region’s cases', () => {
  it('worked example 4 (seeded standard): the region’s recognised and exited cases, in transfer order, with their histories and holds; the rule pays A 1800.00, B 1600.00, C 600.00 = 4000.00 through 2026-01', async () => {
    const a = await recognised('乙孤儿', '2025-10-09', '2025-10-20');
    const b = await recognised('甲孤儿', '2025-11-03', '2025-11-10', {}, '511702001004');
    const c = await recognised('丙儿童', '2025-12-01', '2025-12-08', unsupported);
    expect([a, b, c].map((made) => made.kase.recognition.coverFrom)).toEqual(['2025-11', '2025-12', '2026-01']);
    at('2025-12-20');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${b.kase.id}/living-arrangement`, { livingArrangement: 'institution', fromMonth: '2026-01' }), 'living');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${c.kase.id}/hold`, { reason: '账户待核实' }), 'hold');
    // Neither a case still in review nor another region's case is read.
    const waiting = await townshipChild(county, { name: '审核中' });
    await receiveCase(county, caseBody(waiting.id));
    const elsewhere = await createProtectionCounty(test, '511781');
    const far = await townshipChild(elsewhere, { name: '外县' });
    const farCase = await receiveCase(elsewhere, caseBody(far.id));
    await expectOk(elsewhere.township.post(`/api/v1/protection/cases/${farCase.id}/check`, { decision: 'agree' }), 'check');
    await expectOk(elsewhere.civilAffairs.post(`/api/v1/protection/cases/${farCase.id}/recognise`, {}), 'recognise');

    const cipher = fieldCipher(test.keyring);
    const read = await payableFactsOfRegion(test.db, cipher, '511702');
    // 东城街道 511702001: village 003 (A, C by name code point: 丙 U+4E19 before 乙 U+4E59), then village 004 (B).
    expect(read.map((found) => found.childName)).toEqual(['丙儿童', '乙孤儿', '甲孤儿']);
    const [readC, readA, readB] = read as [(typeof read)[number], (typeof read)[number], (typeof read)[number]];
    expect(readA).toMatchObject({
      caseId: a.kase.id,
      status: 'recognised',
      childId: a.child.id,
      townshipCode: '511702001',
      villageCode: '511702001003',
      villageName: '翠屏路社区居民委员会',
      lastVerifiedOn: '2025-10-20',
      openHolds: [],
      bank: { bankName: '四川农信通川区联社', accountName: '张大山' },
      facts: { coverFrom: '2025-11', lastMonth: '2033-04', exitFromMonth: null, hivAffected: false, categories: [{ fromMonth: '2025-11', categories: ['orphan'] }], living: [{ fromMonth: '2025-11', livingArrangement: 'scattered' }], caseCategories: ['orphan'] },
    });
    expect(openProtection(cipher, 'bankAccountNumber', readA.bank!.accountNumberSealed)).toMatch(/^62146700\d{11}$/);
    expect(readB.facts.living).toEqual([
      { fromMonth: '2025-12', livingArrangement: 'scattered' },
      { fromMonth: '2026-01', livingArrangement: 'institution' },
    ]);
    expect(readC.openHolds).toEqual(['manual']);

    // The example has no region standard: the seeded default only (the region's of 2026 is the next test's).
    const standards = (await protectionStandardsForRegion(test.db, '511702')).filter((standard) => standard.id === SEEDED.id);
    const entries = read.flatMap((found) => protectionEntries(found.facts, '2026-01', '511702', standards).map((entry) => ({ ...entry, child: found.childName })));
    const total = (rows: readonly { amount: string }[]) => formatMoney(sumMoney(rows.map((row) => money(row.amount))));
    expect(['乙孤儿', '甲孤儿', '丙儿童'].map((name) => total(entries.filter((entry) => entry.child === name)))).toEqual(['1800.00', '1600.00', '600.00']);
    expect(total(entries)).toBe('4000.00');
    expect(total(entries.filter((entry) => entry.month < '2026-01'))).toBe('1800.00');
    expect(Object.fromEntries(STANDARD_KINDS.map((kind) => [kind, total(entries.filter((entry) => entry.kind === kind))]))).toEqual({ orphanInstitution: '1000.00', orphanScattered: '2400.00', deFactoUnsupported: '600.00' });

    // A exits (adopted 2026-02-10, fromMonth 2026-03): still read, its span ends with 2026-02.
    at('2026-03-12');
    await expectOk(county.civilAffairs.post(`/api/v1/protection/cases/${a.kase.id}/exit`, { reason: 'adopted', eventOn: '2026-02-10' }), 'exit');
    const exited = (await payableFactsOfRegion(test.db, cipher, '511702')).find((found) => found.caseId === a.kase.id)!;
    expect([exited.status, exited.facts.exitFromMonth]).toEqual(['exited', '2026-03']);
    expect(protectionEntries(exited.facts, '2026-06', '511702', standards).at(-1)?.month).toBe('2026-02');
  });

  it('a region’s own standard from 2026-01 pays B’s institution month 1500.00 and A’s 2026-01 1100.00; the default still pays 2025', async () => {
    const standards = await protectionStandardsForRegion(test.db, '511702');
    expect(standards.map((standard) => standard.effectiveFrom).sort()).toEqual(['2019-01', '2026-01', '2027-01']);
    const read = await payableFactsOfRegion(test.db, fieldCipher(test.keyring), '511702');
    const amounts = (name: string) => protectionEntries(read.find((found) => found.childName === name)!.facts, '2026-01', '511702', standards).map((entry) => [entry.month, entry.amount]);
    expect(amounts('乙孤儿')).toEqual([
      ['2025-11', '600.00'],
      ['2025-12', '600.00'],
      ['2026-01', '1100.00'],
    ]);
    expect(amounts('甲孤儿')).toEqual([
      ['2025-12', '600.00'],
      ['2026-01', '1500.00'],
    ]);
  });
});
