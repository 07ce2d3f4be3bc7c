import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter } from '../../src/domain/idNumber.js';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, designate, E2E_ADMIN_TOKEN, launchChromium, personPage, Service, type Person } from './browser.js';

// Issue 27, point 6, in the console: a refused form names each field and what to do, without a
// technical expander for an ordinary mistake; a disabled account's owner is told so; building
// batches again names the drafts that exist.

const REGION = '511702';
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const service = new Service();
let browser: Browser;
const people = {} as Record<'reviewer' | 'institution', Person>;
let institutionId: string;

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const institution = await designate(service, 'JG-500', ['device']);
  institutionId = institution.id;
  people.institution = await account(service, { name: '李会计', role: 'institution', institutionId });
  people.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('errors in the console say what to do', () => {
  it('a wrong ID check digit is named as such under the field, with no technical expander', async () => {
    const page = await personPage(browser, service.baseUrl, people.reviewer);
    await page.goto(`${service.baseUrl}/#/children/new`);
    const right = idNumber(REGION, bornYearsAgo(5));
    const wrong = right.slice(0, 17) + (checkCharacter(right.slice(0, 17)) === '1' ? '2' : '1');
    await page.getByLabel('身份证号').fill(wrong);
    await page.getByLabel('姓名', { exact: true }).first().fill('周小明');
    await page.locator('input[name=guardianName]').fill('周大山');
    await page.locator('input[name=guardianPhone]').fill('13800000000');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    const alert = page.getByRole('alert').first();
    await expect.poll(() => alert.getByTestId('error-fields').textContent()).toContain('「身份证号」：身份证号最后一位校验码与前 17 位不符，请逐位核对');
    expect(await alert.getByTestId('technical').count()).toBe(0);
    expect(await alert.textContent()).not.toContain('VALIDATION_FAILED');
    await page.context().close();
  });

  it('a disabled account’s owner is told the account is disabled, not that the password is wrong', async () => {
    const person = await account(service, { name: '停用会计', role: 'reviewer', regionCode: REGION });
    await service.call(E2E_ADMIN_TOKEN, 'POST', `/users/${person.id}/disable`);
    const page = await newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.getByLabel('用户名').fill(person.username);
    await page.getByLabel('密码').fill(person.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('该账号已被停用');
    await page.context().close();
  });

  it('building batches again names the drafts that already hold the approved claims', async () => {
    const child = await service.call(people.reviewer, 'POST', '/children', {
      idNumber: idNumber(REGION, bornYearsAgo(5)),
      name: '周小红',
      regionCode: REGION,
      category: 'hearing',
      guardian: { name: '周大山', relation: 'father', phone: '13800000000' },
    });
    const application = await service.call(people.reviewer, 'POST', '/applications', { childId: child.id, year: Number(YEAR), services: ['device'], institutionId });
    await service.call(people.reviewer, 'POST', `/applications/${application.id}/approve`);
    const claim = await service.call(people.institution, 'POST', '/claims', { externalRef: 'CW-0001', childId: child.id, service: 'device', deviceKind: 'hearing_aid', serviceDate: `${YEAR}-01-05`, grossCost: '1000', reviewedBy: '李会计' });
    await service.call(people.reviewer, 'POST', `/claims/${claim.id}/approve`);
    const first = await service.call(people.reviewer, 'POST', '/batches', {});
    const page = await personPage(browser, service.baseUrl, people.reviewer);
    await page.getByRole('link', { name: '结算批次' }).click();
    await page.getByRole('button', { name: '生成结算批次' }).click();
    const drafts = page.getByTestId('existing-drafts');
    await expect.poll(() => drafts.textContent()).toContain('没有新的已批准申报可列入批次');
    expect(await drafts.textContent()).toContain(`${first.batches[0].number}（阳光儿童康复中心，1 条，¥1,000.00）`);
    await drafts.getByRole('link', { name: first.batches[0].number }).click();
    await expect.poll(() => page.locator('h1').textContent()).toContain(first.batches[0].number);
    await page.context().close();
  });
});
