import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, E2E_ADMIN_TOKEN, launchChromium, Service, signIn, type Person } from './browser.js';

// Issue 15, points 4, 8 and 9: a mistyped ID number is called mistyped; children are found by
// name or the last digits of their ID number; the claims list filters by 结算申请号, child,
// institution and service month, counts what it finds and exports it to Excel.

const REGION = '511702';
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const service = new Service();
let browser: Browser;
const tokens = {} as Record<'reviewer' | 'institution', Person>;
let child: { id: string; idNumber: string };

async function pageAs(token: Person): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, service.baseUrl, token);
  return page;
}

/** The same ID number with another check character: a typing mistake. */
const mistyped = (id: string) => id.slice(0, 17) + (id[17] === '1' ? '2' : '1');

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const institution = await service.call(E2E_ADMIN_TOKEN, 'POST', '/institutions', {
    code: 'JG-100',
    name: '阳光儿童康复中心',
    regionCode: REGION,
    services: ['training'],
    bankAccount: { bank: '中国农业银行', accountName: '阳光儿童康复中心', accountNumber: '6228480000000000100' },
  });
  tokens.institution = await account(service, { name: '李会计', role: 'institution', institutionId: institution.id });
  tokens.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
  child = await service.call(tokens.reviewer, 'POST', '/children', {
    idNumber: idNumber(REGION, bornYearsAgo(5)),
    name: '周小明',
    regionCode: REGION,
    category: 'speech',
    guardian: { name: '周大山', relation: 'father', phone: '13800000000' },
  });
  const application = await service.call(tokens.reviewer, 'POST', '/applications', { childId: child.id, year: Number(YEAR), services: ['training'], institutionId: institution.id });
  await service.call(tokens.reviewer, 'POST', `/applications/${application.id}/approve`);
  for (const [index, ref] of ['ZH-0001', 'ZH-0002'].entries()) {
    const claim = await service.call(tokens.institution, 'POST', '/claims', {
      externalRef: ref,
      childId: child.id,
      service: 'training',
      periodFrom: `${YEAR}-0${index + 1}`,
      periodTo: `${YEAR}-0${index + 1}`,
      grossCost: '1000',
      reviewedBy: '李会计',
    });
    await service.call(tokens.reviewer, 'POST', `/claims/${claim.id}/approve`, {});
  }
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('finding records in the console', () => {
  it('the reviewer finds a child by part of the name and by the last 6 characters of the ID number; a wrong check digit is called a mistake, not “not found”', async () => {
    const page = await pageAs(tokens.reviewer);
    await page.getByRole('link', { name: '儿童', exact: true }).click();
    const search = page.getByLabel('查找儿童');
    for (const term of ['小明', child.idNumber.slice(-6)]) {
      await search.fill(term);
      await page.getByRole('button', { name: '查找' }).click();
      await expect.poll(() => page.locator('table.list tbody').textContent()).toContain('周小明');
    }
    await search.fill(mistyped(child.idNumber));
    await page.getByRole('button', { name: '查找' }).click();
    await expect.poll(() => page.getByTestId('id-number-mistake').textContent()).toContain('校验码');
    expect(await page.getByText('没有找到').count()).toBe(0);
    await page.context().close();
  });

  it('the institution’s claim form says a mistyped ID number is wrong instead of “no such child”', async () => {
    const page = await pageAs(tokens.institution);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByLabel('儿童身份证号').fill(mistyped(child.idNumber));
    await expect.poll(() => page.getByTestId('id-number-mistake').textContent()).toContain('身份证号有误');
    expect(await page.getByText('没有找到该身份证号的儿童').count()).toBe(0);
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await page.getByTestId('child-found').waitFor();
    await page.context().close();
  });

  it('the reviewer filters all claims by 结算申请号 and child, sees the count, and exports the list to Excel', async () => {
    const page = await pageAs(tokens.reviewer);
    await page.getByRole('link', { name: '全部申报' }).click();
    await page.getByLabel('结算申请号').fill('ZH-');
    await page.getByLabel('儿童', { exact: true }).fill('周小');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.getByTestId('claim-count').textContent()).toContain('共 2 笔');
    expect(await page.getByTestId('claim-count').textContent()).toContain('¥2,000.00');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(download.suggestedFilename()).toBe('救助申报清单.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('申报')!;
    expect([sheet.getRow(2).getCell(1).value, sheet.getRow(3).getCell(1).value]).toEqual(['ZH-0001', 'ZH-0002']);
    // A filter that finds nothing says so.
    await page.getByLabel('结算申请号').fill('NOPE');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.getByTestId('claim-count').textContent()).toContain('共 0 笔');
    await page.context().close();
  });

  it('the claim form offers only what the child is referred for, and says before submitting that months already claimed would be refused', async () => {
    const page = await pageAs(tokens.institution);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await expect.poll(() => page.getByTestId('referrals').textContent()).toContain(`${YEAR} 年 康复训练`);
    expect(await page.getByLabel('救助项目').locator('option').allTextContents()).toEqual(['康复训练']);
    await page.getByLabel('开始月份').fill(`${YEAR}-01`);
    await page.getByLabel('结束月份').fill(`${YEAR}-02`);
    await page.getByLabel('总费用（元）').fill('2000');
    const warnings = page.getByTestId('preview-warnings');
    await expect.poll(() => warnings.textContent(), { timeout: 10_000 }).toContain('同一月份不能重复申报');
    expect(await warnings.textContent()).toContain(`${YEAR}年1月、${YEAR}年2月`);
    expect(await page.getByTestId('preview').textContent()).not.toContain('应付救助金额');
    expect(await page.getByRole('button', { name: '提交申报' }).isDisabled()).toBe(true);
    await page.context().close();
  });

  it('a rejected claim shows no estimate, on its page or in the list: an estimate belongs to a claim under review', async () => {
    const claim = await service.call(tokens.institution, 'POST', '/claims', {
      externalRef: 'ZH-REJ-1',
      childId: child.id,
      service: 'training',
      periodFrom: `${YEAR}-03`,
      periodTo: `${YEAR}-03`,
      grossCost: '4800',
      reviewedBy: '李会计',
    });
    await service.call(tokens.reviewer, 'POST', `/claims/${claim.id}/reject`, { reason: '该月未在本机构训练' });
    const page = await pageAs(tokens.institution);
    await page.goto(`${service.baseUrl}/#/claims?externalRef=ZH-REJ`);
    const row = page.getByRole('row', { name: /ZH-REJ-1/ });
    await expect.poll(() => row.textContent()).toContain('已拒绝');
    expect(await row.textContent()).not.toContain('预计');
    await row.getByRole('link', { name: 'ZH-REJ-1' }).click();
    await page.getByRole('heading', { name: '申报详情' }).waitFor();
    await expect.poll(() => page.locator('main.content').textContent()).toContain('该月未在本机构训练');
    expect(await page.locator('main.content').textContent()).not.toContain('预计救助金额');
    await page.context().close();
  });
});
