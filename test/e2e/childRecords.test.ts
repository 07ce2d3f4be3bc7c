import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, designate, launchChromium, personPage, Service, type Person } from './browser.js';

// Issue 27, point 3: a child's record can be corrected in the console (name, guardian, phone), and
// registering an ID number already on file leads to that record when the caller may see it.

const REGION = '511702';
const service = new Service();
let browser: Browser;
const people = {} as Record<'reviewer' | 'institution', Person>;
let child: { id: string; idNumber: string; name: string };

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const institution = await designate(service, 'JG-300', ['training']);
  people.institution = await account(service, { name: '李会计', role: 'institution', institutionId: institution.id });
  people.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
  child = await service.call(people.reviewer, 'POST', '/children', {
    idNumber: idNumber(REGION, bornYearsAgo(6)),
    name: '张小民',
    regionCode: REGION,
    category: 'hearing',
    guardian: { name: '张大山', relation: 'father', phone: '13800000000' },
  });
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('a child’s record in the console', () => {
  it('the reviewer corrects the name, the guardian and the phone; the change is in the audit trail, the phone masked', async () => {
    const page = await personPage(browser, service.baseUrl, people.reviewer);
    await page.goto(`${service.baseUrl}/#/children/${child.id}`);
    await page.getByRole('button', { name: '修改姓名或监护人' }).click();
    expect(await page.locator('main').textContent()).toContain('身份证号不能修改');
    await page.getByLabel('儿童姓名').fill('张小明');
    await page.getByLabel('监护人姓名').fill('李秀英');
    await page.getByLabel('与儿童关系').selectOption({ label: '母亲' });
    await page.getByLabel('监护人电话').fill('13912345678');
    await page.getByRole('button', { name: '保存修改' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('儿童信息已修改');
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('张小明');
    expect(await page.locator('.facts').textContent()).toContain('李秀英（母亲） 13912345678');
    const stored = await service.call(people.reviewer, 'GET', `/children/${child.id}`);
    expect([stored.name, stored.guardian]).toEqual(['张小明', { name: '李秀英', relation: 'mother', phone: '13912345678' }]);
    const audit = await service.call(people.reviewer, 'GET', `/audit?entityType=child&entityId=${child.id}`);
    const updated = audit.items.find((event: { action: string }) => event.action === 'child.updated');
    expect(updated.data.changes['guardian.phone']).toEqual({ old: '138****0000', new: '139****5678' });
    await page.context().close();
  });

  it('registering an ID number already on file names the child and links to the record; an institution that may not see it is told whom to ask', async () => {
    const page = await personPage(browser, service.baseUrl, people.reviewer);
    await page.goto(`${service.baseUrl}/#/children/new`);
    await page.getByLabel('身份证号').fill(child.idNumber);
    await page.getByLabel('姓名', { exact: true }).first().fill('张晓明');
    await page.locator('input[name=guardianName]').fill('张大山');
    await page.locator('input[name=guardianPhone]').fill('13800000000');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => page.getByTestId('existing-child').textContent()).toContain('该身份证号已登记为 张小明');
    await page.getByTestId('existing-child').getByRole('link').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('张小明');
    await page.context().close();

    const institution = await personPage(browser, service.baseUrl, people.institution);
    await institution.goto(`${service.baseUrl}/#/children/new`);
    await institution.getByLabel('身份证号').fill(child.idNumber);
    await institution.getByLabel('姓名', { exact: true }).first().fill('张晓明');
    await institution.locator('input[name=regionCode]').fill(REGION);
    await institution.locator('input[name=guardianName]').fill('张大山');
    await institution.locator('input[name=guardianPhone]').fill('13800000000');
    await institution.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => institution.getByTestId('existing-child').textContent()).toContain('本账号无权查看');
    expect(await institution.getByTestId('existing-child').getByRole('link').count()).toBe(0);
    await institution.context().close();
  });
});
