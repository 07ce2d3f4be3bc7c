import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, chinaDate, fitsWidth, launchChromium, type Person, personPage, screenshot, Service } from './browser.js';

// Visits and mandatory reports in the console (protection.md §9): the township clerk, on a 390 px
// phone in the village, opens the month's visits, finds a child overdue, records the visit with a
// danger, reads the 110 instruction first and records the police call; civil affairs, at its
// desk and on a phone, acknowledges the report with the action taken.

const REGION = '511702';
const VILLAGE = '511702001003';
const year = Number(chinaDate().slice(0, 4));

const service = new Service();
let browser: Browser;
const people = {} as Record<'township' | 'civilAffairs', Person>;
let caseId: string;

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  people.township = await account(service, { name: '刘干事', role: 'township', townshipCode: '511702001' });
  people.civilAffairs = await account(service, { name: '钱民政', role: 'civil_affairs', regionCode: REGION });
  // A scattered orphan recognised today, last visited 40 days ago (before the clerk's account
  // existed, on paper): due a visit about ten days ago.
  const child = await service.call(people.township, 'POST', '/children', {
    idNumber: idNumber(REGION, `${year - 8}-03-03`),
    name: '周雨桐',
    regionCode: REGION,
    villageCode: VILLAGE,
    guardian: { name: '周秀英', relation: '祖母', phone: '13800000002' },
  });
  const received = await service.call(people.township, 'POST', '/protection/cases', {
    childId: child.id,
    applicant: { name: '周秀英', relation: '祖母', phone: '13800000002' },
    categories: ['orphan'],
    parents: { father: [{ situation: 'dead', since: `${year - 3}-01-01`, until: null }], mother: [{ situation: 'dead', since: `${year - 2}-01-01`, until: null }] },
    bankAccount: { bank: '四川农信', accountName: '周秀英', accountNumber: '6214670000000000099' },
  });
  caseId = received.id;
  await service.call(people.township, 'POST', `/protection/cases/${caseId}/check`, { decision: 'agree' });
  await service.call(people.civilAffairs, 'POST', `/protection/cases/${caseId}/recognise`, {});
  await service.call(people.township, 'POST', '/protection/visits', {
    caseId,
    visitedOn: chinaDate(-40),
    visitor: '王芳',
    checks: { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'ok' },
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('visits and mandatory reports in the console', () => {
  it('on a 390 px phone the township opens the month’s visits, records a visit with a danger, sees the 110 instruction first and records the police call', async () => {
    const page = await personPage(browser, service.baseUrl, people.township, { width: 390, height: 844 });
    await page.getByRole('navigation', { name: '功能' }).getByRole('link', { name: '走访', exact: true }).click();
    const row = page.getByTestId('visits-due').locator('tbody tr').filter({ hasText: '周雨桐' });
    await row.waitFor();
    await expect(row.locator('.tag-overdue').textContent()).resolves.toBe('逾期');
    expect(await page.getByTestId('visits-summary').textContent()).toContain('已逾期');
    expect(await fitsWidth(page)).toBe(true);
    await row.getByRole('link', { name: '记录走访' }).click();
    await page.getByRole('heading', { name: '记录走访：周雨桐' }).waitFor();
    expect(await page.getByLabel('走访日期').inputValue()).toBe(chinaDate());
    await page.getByLabel('走访人', { exact: true }).fill('王芳');
    await page.getByRole('group', { name: '安全状况' }).getByLabel('危险').check();
    await page.getByRole('group', { name: '监护情况' }).getByLabel('关注').check();
    await page.getByTestId('danger-warning').waitFor();
    await page.getByLabel('走访情况').fill('儿童手臂有新伤，称系醉酒的叔叔所打');
    expect(await fitsWidth(page)).toBe(true);
    await page.getByRole('button', { name: '保存走访' }).click();
    const instruction = page.getByTestId('report-instruction');
    await instruction.waitFor();
    expect(await instruction.textContent()).toContain('立即报告公安机关（110）并通知县民政局');
    // First on the page and in view without scrolling on the phone.
    const box = (await instruction.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(844);
    expect(await instruction.getByRole('link', { name: '拨打 110' }).getAttribute('href')).toBe('tel:110');
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'visit-danger-390');
    await page.getByRole('button', { name: '已报警，记录报警时间' }).click();
    await page.getByTestId('police-recorded').waitFor();
    const reports = await service.call<{ items: { concerns: string[]; policeNotifiedAt: string | null; status: string }[] }>(people.civilAffairs, 'GET', '/protection/reports?status=open');
    expect(reports.items).toHaveLength(1);
    expect(reports.items[0]).toMatchObject({ concerns: ['safety'], status: 'open' });
    expect(reports.items[0]!.policeNotifiedAt).not.toBeNull();
    await page.context().close();
  });

  it('civil affairs acknowledges the report with the action taken (1280 px), and the list fits a phone', async () => {
    const page = await personPage(browser, service.baseUrl, people.civilAffairs);
    await page.getByRole('navigation', { name: '功能' }).getByRole('link', { name: '强制报告', exact: true }).click();
    const row = page.getByTestId('reports').locator('tbody tr').filter({ hasText: '周雨桐' });
    await row.waitFor();
    expect(await row.textContent()).toContain('安全状况');
    // Raised a moment ago: not yet overdue, so no banner.
    expect(await page.getByTestId('overdue-reports').count()).toBe(0);
    await row.getByRole('button', { name: '登记处理情况' }).click();
    await page.getByLabel('采取的措施').fill('已报派出所，临时安置于县儿童福利院');
    await page.getByRole('button', { name: '确认登记处理情况' }).click();
    await page.getByText('没有待确认处理的强制报告。').waitFor();
    await page.getByRole('link', { name: '已确认处理' }).click();
    await page.getByTestId('reports').getByText('已报派出所，临时安置于县儿童福利院').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'reports-390');
    await page.context().close();
  });
});
