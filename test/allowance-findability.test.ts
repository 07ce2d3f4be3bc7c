import { describe, expect, it } from 'vitest';
import { activeBeneficiary, buildRoll, createCounty, withAllowanceApp } from './support/allowance.js';
import { expectRefusedUnchanged } from './support/expectations.js';
import { type TestApp } from './support/testApp.js';
import { personalAdmins } from './support/world.js';

// Issue 27, points 3 and 6, for the care allowance: a clerk finds a record by the child's name or
// the last digits of the ID number, within the county only and in the access log; building a
// month's roll that exists says so in words ("2025年12月名册已存在"), not in general ones.

let test: TestApp;
const { at } = withAllowanceApp((made) => (test = made));

describe('finding a care allowance record', () => {
  it('by part of the child’s name or the last 6 characters of the ID number; another county finds nothing; the search is in the access log', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    const zhao = await activeBeneficiary(county, { name: '赵小花', birthDate: '2018-04-04' });
    await activeBeneficiary(county, { name: '钱小草', birthDate: '2019-05-05' });
    const search = async (q: string, reader = county.civilAffairs) => (await reader.get(`/api/v1/allowance/beneficiaries?q=${encodeURIComponent(q)}`)).body.items.map((item: { id: string }) => item.id);

    expect(await search('小花')).toEqual([zhao.id]);
    expect(await search(zhao.child.idNumber.slice(-6))).toEqual([zhao.id]);
    expect(await search(zhao.child.idNumber)).toEqual([zhao.id]);
    expect(await search('孙')).toEqual([]);
    const other = await createCounty(test);
    expect(await search('小花', other.civilAffairs)).toEqual([]);

    const auditor = (await (await personalAdmins(test)).createUser({ name: '审计员', role: 'auditor' })).client;
    const logged = (await auditor.get('/api/v1/access-log?entityType=beneficiary')).body.items;
    expect(logged.some((row: { action: string }) => row.action === 'search')).toBe(true);
    expect(JSON.stringify(logged)).not.toContain(zhao.child.idNumber);
  });

  it('a search longer than 50 characters is refused with 400', async () => {
    const county = await createCounty(test);
    await expectRefusedUnchanged(test.db, () => county.civilAffairs.get(`/api/v1/allowance/beneficiaries?q=${'张'.repeat(51)}`), 400, 'VALIDATION_FAILED');
  });
});

describe('building a month’s roll that exists', () => {
  it('2025年12月名册已存在: the same month is refused naming the month; an earlier one names the later roll', async () => {
    at('2025-12-11');
    const county = await createCounty(test);
    await activeBeneficiary(county, { acceptedOn: '2025-10-05' });
    await buildRoll(county, '2025-12');
    const again = await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-12' }), 409, 'INVALID_STATE');
    expect(again.body.error.details).toEqual([{ hint: '2025年12月名册已存在，不能重复生成；如需重建，请先作废该名册。' }]);
    const earlier = await expectRefusedUnchanged(test.db, () => county.civilAffairs.post('/api/v1/allowance/rolls', { month: '2025-11' }), 409, 'INVALID_STATE');
    expect(earlier.body.error.details[0].hint).toContain('本地区已有2025年12月的名册');
  });
});
