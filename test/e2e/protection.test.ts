import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, chinaDate, launchChromium, menu, type Person, Service, signIn } from './browser.js';

// Children in difficulty in the console, as the offices do a case: the township clerk receives
// an orphan's application (registering the child in one of its villages) and agrees at its check;
// it is never posted and goes to the county, where civil affairs recognises it. A department
// approves its route from its queue on a phone; the township posts a village notice and downloads
// it; civil affairs reads the quarter's status; one civil affairs officer asks for a new bank
// account and another confirms it (four eyes). Every page fits 1280 and 390 px.

const REGION = '511702';
const VILLAGE = '511702001003';
const year = Number(chinaDate().slice(0, 4));

const service = new Service();
let browser: Browser;
const people = {} as Record<'township' | 'civilAffairs' | 'civilAffairs2' | 'health', Person>;
const ORPHAN_ID = idNumber(REGION, `${year - 9}-04-04`, 'female');

async function pageAs(person: Person, width = 1280): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height: 760 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, service.baseUrl, person);
  return page;
}


const fitsWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth <= (globalThis as unknown as { innerWidth: number }).innerWidth);

/** A child of the township's village with a case received and agreed by the API (the scene). */
async function caseByApi(body: Record<string, unknown>, birth = `${year - 10}-05-05`) {
  const child = await service.call(people.township, 'POST', '/children', { idNumber: idNumber(REGION, birth), name: '王小雨', regionCode: REGION, villageCode: VILLAGE, guardian: { name: '王秀英', relation: '祖母', phone: '13800000000' } });
  const received = await service.call(people.township, 'POST', '/protection/cases', {
    childId: child.id,
    applicant: { name: '王秀英', relation: '祖母', phone: '13800000000' },
    bankAccount: null,
    ...body,
  });
  return service.call<{ id: string; notices: { noticeId: string }[] }>(people.township, 'POST', `/protection/cases/${received.id}/check`, { decision: 'agree' });
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  people.township = await account(service, { name: '刘干事', role: 'township', townshipCode: '511702001' });
  people.civilAffairs = await account(service, { name: '钱民政', role: 'civil_affairs', regionCode: REGION });
  people.civilAffairs2 = await account(service, { name: '孙民政', role: 'civil_affairs', regionCode: REGION });
  people.health = await account(service, { name: '陈科长', role: 'department', department: 'health', regionCode: REGION });
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('children in difficulty in the console', () => {
  it('the township clerk registers an orphan in its village and receives the application; the case waits in the checking queue by its due date', async () => {
    const page = await pageAs(people.township);
    await menu(page, '受理申请');
    await page.getByLabel('儿童身份证号').fill(ORPHAN_ID);
    await page.getByRole('button', { name: '查找儿童' }).click();
    await page.getByLabel('姓名', { exact: true }).fill('李思琪');
    await page.getByLabel('村（社区）代码').fill(VILLAGE);
    await page.getByLabel('监护人姓名').fill('李秀英');
    await page.getByLabel('与儿童关系').fill('祖母');
    await page.getByLabel('监护人电话').fill('13800000001');
    await page.getByRole('button', { name: '登记儿童' }).click();
    await page.getByRole('heading', { name: /李思琪（东城街道翠屏路社区/ }).waitFor();
    await page.getByLabel('孤儿', { exact: true }).check();
    await page.getByLabel('情况').first().selectOption('dead');
    await page.getByLabel('起始日期').first().fill(`${year - 3}-01-01`);
    await page.getByLabel('情况').nth(1).selectOption('dead');
    await page.getByLabel('起始日期').nth(1).fill(`${year - 2}-06-01`);
    await page.getByLabel('开户银行').fill('四川农信');
    await page.getByLabel('银行账号').fill('6214 6700 0000 0008 08');
    expect(await fitsWidth(page)).toBe(true);
    await page.getByRole('button', { name: '受理', exact: true }).click();
    await page.getByText(/已受理 李思琪 的申请，编号 511702-KJ-\d{4}-\d{4}/).waitFor();
    await menu(page, '待核查');
    await page.getByRole('heading', { name: '待核查（按办理时限）' }).waitFor();
    await expect.poll(() => page.getByTestId('cases').textContent()).toContain('李思琪');
    expect(await page.getByTestId('cases').textContent()).toContain('乡镇核查');
    expect(await fitsWidth(page)).toBe(true);
    await page.context().close();
  });

  it('the township agrees at its check: an orphan is never posted and goes to the county; civil affairs recognises it from its queue', async () => {
    const page = await pageAs(people.township);
    await menu(page, '待核查');
    await page.getByRole('link', { name: /511702-KJ/ }).first().click();
    await page.getByRole('button', { name: '核查同意' }).click();
    await page.getByRole('button', { name: '确认核查同意' }).click();
    await page.getByRole('heading', { name: /李思琪\s*县级复核/ }).waitFor();
    expect(await page.getByTestId('timeline').textContent()).not.toContain('村级公示');
    await page.context().close();

    const county = await pageAs(people.civilAffairs);
    await menu(county, '困境儿童县级复核');
    await county.getByRole('link', { name: /511702-KJ/ }).first().click();
    await expect.poll(() => county.getByTestId('bank-account').textContent()).toContain('621467000000000808');
    await county.getByRole('button', { name: '认定', exact: true }).click();
    await county.getByRole('button', { name: '确认认定' }).click();
    await county.getByRole('heading', { name: /李思琪\s*已认定/ }).waitFor();
    expect(await county.getByTestId('recognition').textContent()).toContain('孤儿');
    expect(await fitsWidth(county)).toBe(true);
    // The child's file, and its registration form to print.
    await county.getByRole('link', { name: '一人一档' }).click();
    await county.getByRole('heading', { name: '李思琪 · 一人一档' }).waitFor();
    const [form] = await Promise.all([county.waitForEvent('download'), county.getByRole('button', { name: '打印信息登记表' }).click()]);
    expect(readFileSync((await form.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await county.context().close();
  });

  it('one civil affairs officer asks for a new bank account of the recognised case; it waits, and another officer confirms it', async () => {
    const recognised = (await service.call<{ items: { id: string; childName: string }[] }>(people.civilAffairs, 'GET', '/protection/cases?status=recognised')).items.find((item) => item.childName === '李思琪')!;
    const asker = await pageAs(people.civilAffairs);
    await asker.goto(`${service.baseUrl}/#/protection/cases/${recognised.id}`);
    await asker.getByRole('button', { name: '变更收款账户' }).click();
    await asker.getByLabel('开户银行').fill('中国农业银行');
    await asker.getByLabel('户名').fill('李秀英');
    await asker.getByLabel('银行账号').fill('6228480000000045678');
    await asker.getByRole('button', { name: '确认变更收款账户' }).click();
    await expect.poll(() => asker.getByTestId('pending-account').textContent()).toContain('须由民政局另一位同事确认');
    expect(await asker.getByTestId('pending-account').textContent()).toContain('钱民政');
    expect(await asker.getByTestId('bank-account').textContent()).toContain('621467000000000808');
    // The asker is offered no confirmation of its own request.
    expect(await asker.getByRole('button', { name: '确认账户变更' }).count()).toBe(0);
    await asker.context().close();

    const confirmer = await pageAs(people.civilAffairs2, 390);
    await confirmer.goto(`${service.baseUrl}/#/protection/cases/${recognised.id}`);
    await expect.poll(() => confirmer.getByTestId('pending-account').textContent()).toContain('钱民政');
    await confirmer.getByRole('button', { name: '确认账户变更' }).click();
    // The step opens on 确认账户变更 and is confirmed by its one button (not 确认确认…).
    await confirmer.getByRole('button', { name: '确认账户变更' }).click();
    await expect.poll(() => confirmer.getByTestId('bank-account').textContent()).toContain('6228480000000045678');
    expect(await confirmer.getByTestId('pending-account').count()).toBe(0);
    expect(await fitsWidth(confirmer)).toBe(true);
    await confirmer.context().close();
  });

  it('the health department approves its route from its queue on a 390 px phone', async () => {
    const kase = await caseByApi({ categories: ['severe_illness_disability'], severeBasis: 'illness' });
    const page = await pageAs(people.health, 390);
    await page.getByRole('heading', { name: '待复核的困境儿童个案' }).waitFor();
    await expect.poll(() => page.getByTestId('cases').textContent()).toContain('王小雨');
    expect(await fitsWidth(page)).toBe(true);
    await page.goto(`${service.baseUrl}/#/protection/cases/${kase.id}`);
    await page.getByRole('button', { name: '复核同意' }).click();
    await page.getByRole('button', { name: '确认复核同意' }).click();
    await expect.poll(() => page.getByRole('button', { name: '复核同意' }).count()).toBe(0);
    expect(await page.getByTestId('timeline').textContent()).toMatch(/县级复核（卫生健康局）[^县]*同意/);
    // The department never reads the family's facts.
    expect(await page.getByTestId('bank-account').count()).toBe(0);
    expect(await page.getByRole('heading', { name: '父母情况' }).count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await page.context().close();
  });

  it('a poor family’s case is posted in its village: the notice names the child masked; the township downloads the paper to post', async () => {
    await caseByApi({ categories: ['poor_family'] }, `${year - 12}-07-07`);
    const page = await pageAs(people.township);
    await menu(page, '村级公示');
    await expect.poll(() => page.getByTestId('notices').textContent()).toContain('王*雨');
    expect(await page.getByTestId('notices').textContent()).toContain('贫困家庭儿童');
    const [paper] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '公示表' }).first().click()]);
    expect(readFileSync((await paper.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await fitsWidth(page)).toBe(true);
    await page.context().close();
  });

  it('civil affairs reads the townships’ quarterly status; the programme’s pages fit 390 px', async () => {
    const page = await pageAs(people.civilAffairs, 390);
    await page.goto(`${service.baseUrl}/#/protection/quarterly`);
    await page.getByRole('heading', { name: /季度更新 \d{4}-Q[1-4]/ }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    for (const path of ['/protection/cases', '/protection/notices?status=all', '/protection/cases?status=county_review']) {
      await page.goto(`${service.baseUrl}/#${path}`);
      await page.locator('h1').first().waitFor();
      expect(await fitsWidth(page), path).toBe(true);
    }
    await page.context().close();
  });
});
