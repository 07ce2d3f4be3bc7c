import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../reliability/service.js';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, E2E_ADMIN_TOKEN, launchChromium, SCREENSHOTS, Service, signIn, type Person } from './browser.js';

// The web console in a real browser against the real service: each role does its work through
// the pages, as people will. The API is called directly only to set the scene (users, a child
// and its referral) and to check what the pages did.

const REGION = '511702';
const chinaNow = Object.fromEntries(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date()).map((part) => [part.type, part.value]),
);
const YEAR = chinaNow.year!;
// A three-month claim from January, or fewer months early in the year: services not yet
// delivered are refused.
const MONTHS = Math.min(3, Number(chinaNow.month));
const PERIOD_TO = `${YEAR}-${String(MONTHS).padStart(2, '0')}`;
// Training pays at most 1700 a month: with 6000 gross and 400 from basic medical insurance the
// monthly limit binds.
const EXPECTED_SUBSIDY = `¥${(1700 * MONTHS).toLocaleString('en-US')}.00`;

const service = new Service();
let browser: Browser;
const tokens = {} as Record<'admin' | 'admin2' | 'a' | 'b' | 'reviewer' | 'reviewer2' | 'finance', Person>;
let institutionA: { id: string; name: string; code: string };
let child: { id: string; idNumber: string; name: string };
let otherInstitutionsClaimId: string;
const requestsOffSite: string[] = [];
let batchNumber = '';
const openPages: Page[] = [];

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // A step that cannot happen fails within 15 s, naming the step, rather than at the test's timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  openPages.push(page);
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(service.baseUrl) && !url.startsWith('blob:') && !url.startsWith('data:')) requestsOffSite.push(url);
  });
  return { context, page };
}

/** What the page keeps in its browser storage (the test runs in Node, without DOM types). */
async function storedValues(page: Page, storage: 'sessionStorage' | 'localStorage'): Promise<string[]> {
  return page.evaluate((name) => Object.values((globalThis as unknown as Record<string, Record<string, string>>)[name]!), storage);
}

/** Registers a child of the region as the reviewer, through the API (setting the scene). */
async function registerThroughApi(name: string, category: string, ageThisYear: number): Promise<{ id: string; idNumber: string; name: string }> {
  return service.call(tokens.reviewer, 'POST', '/children', {
    idNumber: idNumber(REGION, bornYearsAgo(ageThisYear)),
    name,
    regionCode: REGION,
    category,
    guardian: { name: '张大山', relation: 'father', phone: '13800000000' },
  });
}

async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const admin = E2E_ADMIN_TOKEN;
  const institution = (code: string, name: string) =>
    service.call(admin, 'POST', '/institutions', {
      code,
      name,
      regionCode: REGION,
      services: ['training', 'early_intervention', 'cochlear_implant', 'limb_surgery', 'device'],
      bankAccount: { bank: '中国农业银行达州分行', accountName: name, accountNumber: '6228480000000000000' },
    });
  institutionA = await institution('JG-001', '阳光儿童康复中心');
  const institutionB = await institution('JG-002', '星星雨康复学校');
  tokens.a = await account(service, { name: '李会计', role: 'institution', institutionId: institutionA.id });
  tokens.b = await account(service, { name: '陈会计', role: 'institution', institutionId: institutionB.id });
  tokens.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
  // Nobody moves money alone: a second reviewer issues the batch the first builds.
  tokens.reviewer2 = await account(service, { name: '钱复核', role: 'reviewer', regionCode: REGION });
  tokens.finance = await account(service, { name: '赵出纳', role: 'finance', regionCode: REGION });
  // Two personal admins, made while the bootstrap token still works; their activation closes it.
  const second = await service.call(admin, 'POST', '/users', { name: '孙管理', role: 'admin' });
  tokens.admin = await account(service, { name: '县残联管理员', role: 'admin' });
  const secondPassword = 'Kx9#second-admin-pass';
  await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: second.username, activationCode: second.activationCode, password: secondPassword }) });
  const secondSession = await signInOverHttp(service.baseUrl, second.username, secondPassword);
  tokens.admin2 = { id: second.id, username: second.username, password: secondPassword, credential: secondSession };

  const register = async (name: string, institutionId: string) => {
    const registered = await registerThroughApi(name, 'hearing', 5);
    const application = await service.call(tokens.reviewer, 'POST', '/applications', { childId: registered.id, year: Number(YEAR), services: ['training', 'device'], institutionId });
    await service.call(tokens.reviewer, 'POST', `/applications/${application.id}/approve`);
    return registered;
  };
  child = await register('张小明', institutionA.id);
  const otherChild = await register('刘小红', institutionB.id);
  const otherClaim = await service.call(tokens.b, 'POST', '/claims', {
    externalRef: 'JG002-0001',
    childId: otherChild.id,
    service: 'training',
    periodFrom: `${YEAR}-01`,
    periodTo: `${YEAR}-01`,
    grossCost: '1000',
    reviewedBy: '陈会计',
  });
  otherInstitutionsClaimId = otherClaim.id;
});

// A failed test leaves a picture of every page it had open, to see what the person would have seen.
afterEach(async (context) => {
  if (context.task.result?.state === 'fail') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [index, page] of openPages.entries()) {
      if (!page.isClosed()) await page.screenshot({ path: path.join(SCREENSHOTS, `failed-${context.task.name.slice(0, 40)}-${index}.png`), fullPage: true });
    }
  }
  openPages.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('web console', () => {
  it('serves the console with its own assets and a strict content security policy', async () => {
    const response = await fetch(`${service.baseUrl}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    const script = /src="(\/assets\/main-[\w-]+\.js)"/.exec(html)?.[1];
    expect(script).toBeTruthy();
    const asset = await fetch(`${service.baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('an institution signs in and sees who it is and the children it serves with what they have left', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    const who = page.getByTestId('who');
    await expect.poll(() => who.textContent()).toContain('李会计');
    expect(await who.textContent()).toContain('定点康复机构');
    expect(await who.textContent()).toContain('阳光儿童康复中心');
    await page.getByRole('link', { name: '服务儿童' }).click();
    await page.getByRole('link', { name: '张小明' }).waitFor();
    // The child's training allowance for the year, untouched so far: 17000.
    await expect.poll(() => page.locator('table.list').textContent()).toContain('康复训练：剩余 ¥17,000.00');
    await screenshot(page, 'institution');
    // The session is a cookie no script can read: nothing of it, nor the password, is in the page's storage.
    expect(await storedValues(page, 'sessionStorage')).toEqual([]);
    expect(await storedValues(page, 'localStorage')).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'rehab_session', httpOnly: true, sameSite: 'Strict' });
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').waitFor();
    // Signed out on the server: the old cookie is refused.
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { cookie: `rehab_session=${cookie!.value}` } })).status).toBe(401);
    await context.close();
  });

  it('a wrong password is refused in plain words; the console takes no pasted token', async () => {
    const { context, page } = await newPage();
    await page.goto(`${service.baseUrl}/`);
    expect(await page.getByLabel('登录令牌').count()).toBe(0);
    await page.getByLabel('用户名').fill(tokens.finance.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名、密码或验证码不正确');
    await context.close();
  });

  it('an institution submits a claim and sees the live settlement preview first', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByLabel('结算申请号').fill('JG001-E2E-0001');
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await expect.poll(() => page.getByTestId('child-found').textContent()).toContain('张小明');
    await page.getByLabel('开始月份').fill(`${YEAR}-01`);
    await page.getByLabel('结束月份').fill(PERIOD_TO);
    await page.getByLabel('总费用（元）').fill('6,000');
    await page.getByLabel('基本医疗保险已支付（元）').fill('400');
    const preview = page.getByTestId('preview');
    // Each deduction, the limit that binds, and the subsidy.
    await expect.poll(() => preview.textContent(), { timeout: 10_000 }).toContain(`应付救助金额 ${EXPECTED_SUBSIDY}`);
    const previewText = (await preview.textContent())!;
    expect(previewText).toContain('减：基本医疗保险');
    expect(previewText).toContain('¥5,600.00');
    expect(previewText).toContain('起限制作用');
    expect(previewText).toContain('按月救助标准封顶');
    await screenshot(page, 'institution-claim-preview');
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('申报已提交');
    await expect.poll(() => page.locator('.facts').textContent()).toContain('待审核');

    // The service holds what the page sent: money as typed, in yuan.
    const stored = await service.call(tokens.a, 'GET', '/claims?status=submitted');
    const claim = stored.items.find((item: { externalRef: string }) => item.externalRef === 'JG001-E2E-0001');
    expect(claim, JSON.stringify(stored.items.map((item: { externalRef: string }) => item.externalRef))).toBeDefined();
    expect([claim.grossCost, claim.deductions.basicMedicalInsurance, claim.periodTo]).toEqual(['6000.00', '400.00', PERIOD_TO]);
    await context.close();
  });

  it('an institution is told in plain words why a claim is refused, and nothing is stored', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByLabel('结算申请号').fill('JG001-E2E-0002');
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await expect.poll(() => page.getByTestId('child-found').textContent()).toContain('张小明');
    // The child was referred for training and devices only: a cochlear implant is not offered.
    await expect.poll(() => page.getByTestId('referrals').textContent()).toContain('康复训练');
    expect(await page.getByLabel('救助项目').locator('option').allTextContents()).toEqual(['康复训练', '辅助器具适配']);
    // Other channels paid more than the cost: the preview says so, and so does the submission.
    await page.getByLabel('救助项目').selectOption('device');
    await page.getByLabel('服务日期').fill(`${YEAR}-01-10`);
    await page.getByLabel('总费用（元）').fill('500');
    await page.getByLabel('医疗救助已支付（元）').fill('800');
    await expect.poll(() => page.getByTestId('preview').textContent(), { timeout: 10_000 }).toContain('已支付的金额合计超过了总费用');
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('已支付的金额合计超过了总费用');
    // An ordinary mistake is said in words only: technical details are for failures of the service (5xx).
    expect(await page.getByRole('alert').first().getByTestId('technical').count()).toBe(0);
    expect(await page.getByRole('alert').first().textContent()).not.toContain('DEDUCTIONS_EXCEED_GROSS');
    const stored = await service.call(tokens.a, 'GET', '/claims');
    expect(stored.items.map((item: { externalRef: string }) => item.externalRef)).not.toContain('JG001-E2E-0002');
    await context.close();
  });

  it('a reviewer approves the claim from the queue and builds a batch; a second reviewer checks and issues it', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    const who = (await page.getByTestId('who').textContent())!;
    expect(who).toContain('残联审核人员');
    expect(who).toContain(REGION);
    // The queue is the reviewer's first page, oldest first: the other institution's claim, filed
    // earlier, leads. Choosing our claim shows its breakdown and the child's usage.
    const rows = page.locator('table.selectable tbody tr');
    await expect.poll(() => rows.first().textContent()).toContain('刘小红');
    await rows.filter({ hasText: '张小明' }).filter({ hasText: '康复训练' }).click();
    const review = page.getByTestId('review-claim');
    await expect.poll(() => review.textContent(), { timeout: 10_000 }).toContain(`应付救助金额 ${EXPECTED_SUBSIDY}`);
    await expect.poll(() => review.textContent()).toContain(`${YEAR} 年救助额度使用情况`);
    await expect.poll(() => review.textContent()).toContain('JG001-E2E-0001');
    await screenshot(page, 'reviewer');
    await page.getByRole('button', { name: `批准 ${EXPECTED_SUBSIDY}` }).click();
    // The confirm step says what will be paid before anything is approved.
    await expect.poll(() => page.getByTestId('approve-confirm').textContent()).toContain(`将批准 ${EXPECTED_SUBSIDY}`);
    await page.getByRole('button', { name: `确认批准 ${EXPECTED_SUBSIDY}` }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain(`JG001-E2E-0001：已批准 ${EXPECTED_SUBSIDY}`);

    await page.getByRole('link', { name: '结算批次' }).click();
    await page.getByLabel('机构').selectOption({ label: '阳光儿童康复中心' });
    await page.getByRole('button', { name: '生成结算批次' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已生成 1 个草稿批次');
    await page.locator('table.list a').first().click();
    await expect.poll(() => page.locator('h1').textContent()).toContain('结算批次');
    await expect.poll(() => page.locator('table.list').textContent()).toContain('JG001-E2E-0001');
    // The builder is told that another reviewer issues it, and is offered no button to do it.
    await expect.poll(() => page.getByTestId('second-reviewer').textContent()).toContain('另一位审核人员');
    expect(await page.getByRole('button', { name: '核对无误，签发' }).count()).toBe(0);
    const batchPage = new URL(page.url()).hash;
    await context.close();

    const second = await newPage();
    await signIn(second.page, service.baseUrl, tokens.reviewer2);
    await second.page.goto(`${service.baseUrl}/${batchPage}`);
    await expect.poll(() => second.page.locator('.facts').textContent()).toContain('王审核');
    await second.page.getByRole('button', { name: '核对无误，签发' }).click();
    await expect.poll(() => second.page.getByTestId('batch-confirm').textContent()).toContain('不能再修改，也不能再作废');
    await second.page.getByTestId('batch-confirm').getByRole('button', { name: /^确认签发/ }).click();
    await expect.poll(() => second.page.getByRole('status').first().textContent()).toContain('批次已签发');
    await expect.poll(() => second.page.locator('.facts').textContent()).toContain('已签发，待支付');
    expect(await second.page.locator('.facts').textContent()).toContain('钱复核');
    batchNumber = (await second.page.locator('h1').textContent())!.replace('结算批次', '').trim();
    expect(batchNumber).not.toBe('');
    await second.context.close();
  });

  it('finance downloads the batch PDF and records the payment; a wrong amount is refused', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.finance);
    await page.getByRole('link', { name: batchNumber }).waitFor();
    await screenshot(page, 'finance');
    await page.getByRole('link', { name: batchNumber }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 PDF' }).click()]);
    expect(download.suggestedFilename()).toBe(`${batchNumber}.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    await page.getByLabel('付款凭证号').fill('CZ-E2E-0001');
    await page.getByLabel('付款金额（元）').fill('1.00');
    await page.getByRole('button', { name: '登记付款' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('付款金额与批次合计金额不一致');
    // The cashier pays to the account on the page.
    expect(await page.getByTestId('payee').textContent()).toContain('6228480000000000000');
    await page.getByLabel('付款金额（元）').fill(EXPECTED_SUBSIDY.replace('¥', ''));
    await page.getByRole('button', { name: '登记付款' }).click();
    // Nothing is recorded by the first click: the amount and voucher are shown to confirm.
    const confirm = page.getByTestId('payment-confirm');
    await expect.poll(() => confirm.textContent()).toContain('CZ-E2E-0001');
    expect(await confirm.textContent()).toContain(EXPECTED_SUBSIDY);
    expect((await service.call(tokens.finance, 'GET', `/batches?status=issued`)).items.some((item: { number: string }) => item.number === batchNumber)).toBe(true);
    await confirm.getByRole('button', { name: '确认登记' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('付款已登记');
    await expect.poll(() => page.locator('.facts').textContent()).toContain('CZ-E2E-0001');

    await page.getByRole('link', { name: '已支付' }).click();
    await page.getByRole('link', { name: batchNumber }).waitFor();
    // 已支付 shows the voucher, filters by payment date and exports the list.
    expect(await page.getByRole('row', { name: new RegExp(batchNumber) }).textContent()).toContain('CZ-E2E-0001');
    const [exported] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出 Excel' }).click()]);
    expect(exported.suggestedFilename()).toBe('结算批次清单.xlsx');
    await page.getByLabel('支付日期自').fill('2000-01-01');
    await page.getByLabel('至', { exact: true }).fill('2000-01-31');
    await page.getByRole('button', { name: '筛选' }).click();
    await expect.poll(() => page.locator('main.content').textContent()).toContain('没有批次');
    const paid = await service.call(tokens.a, 'GET', '/claims?status=paid');
    expect(paid.items.map((item: { externalRef: string }) => item.externalRef)).toContain('JG001-E2E-0001');
    await context.close();
  });

  it('an institution user cannot reach the reviewer’s pages or data', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    const menu = (await page.locator('nav.side').textContent())!;
    expect(menu).not.toContain('待审核');
    expect(menu).not.toContain('统计');
    for (const reviewerPage of ['#/review', '#/dashboard', '#/users']) {
      await page.goto(`${service.baseUrl}/${reviewerPage}`);
      await expect.poll(() => page.locator('main.content').textContent()).toContain('您的账号无权访问此页面');
    }
    // Another institution's claim is not found, not merely hidden.
    await page.goto(`${service.baseUrl}/#/claims/${otherInstitutionsClaimId}`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('找不到这条记录');
    // And the data behind reviewer pages is refused by the service to this user's session.
    const statuses = await page.evaluate(async () => {
      const get = async (url: string) => (await fetch(url)).status;
      return [await get(`/api/v1/stats?year=${new Date().getFullYear()}`), await get('/api/v1/users'), await get('/api/v1/audit')];
    });
    expect(statuses).toEqual([403, 403, 403]);
    await context.close();
  });

  it('a returned claim is corrected by the institution and comes back to the queue', async () => {
    const claim = await service.call(tokens.a, 'POST', '/claims', {
      externalRef: 'JG001-E2E-0003',
      childId: child.id,
      service: 'device',
      deviceKind: 'hearing_aid',
      serviceDate: `${YEAR}-01-15`,
      grossCost: '3000',
      reviewedBy: '李会计',
    });
    await service.call(tokens.reviewer, 'POST', `/claims/${claim.id}/return`, { reason: '缺少发票，请补充' });
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '申报记录' }).click();
    await page.getByRole('link', { name: '已退回' }).click();
    // The filtered list replaces the full one: wait for it, or the click may land on a row that
    // is about to go.
    const rows = page.locator('table.list tbody tr');
    await expect.poll(async () => {
      const texts = await rows.allTextContents();
      return texts.length > 0 && texts.every((text) => text.includes('已退回'));
    }).toBe(true);
    await rows.filter({ hasText: 'JG001-E2E-0003' }).getByRole('link', { name: 'JG001-E2E-0003' }).click();
    // The reason stands at the top of the returned claim, where the correction starts.
    await expect.poll(() => page.getByTestId('return-reason').textContent()).toContain('缺少发票，请补充');
    await page.getByRole('link', { name: '修改并重新提交' }).click();
    await expect.poll(() => page.locator('.warning').first().textContent()).toContain('缺少发票，请补充');
    await page.getByLabel('总费用（元）').fill('2800');
    await expect.poll(() => page.getByTestId('preview').textContent(), { timeout: 10_000 }).toContain('应付救助金额');
    await page.getByRole('button', { name: '修改后重新提交' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('重新提交');
    const stored = await service.call(tokens.a, 'GET', `/claims/${claim.id}`);
    expect([stored.status, stored.grossCost]).toEqual(['submitted', '2800.00']);
    await context.close();
  });

  it('an institution uploads a spreadsheet of claims and sees a result for every row', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '批量导入' }).click();
    const [template] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 Excel 模板' }).click()]);
    expect(template.suggestedFilename()).toBe('救助申报导入模板.xlsx');
    const csv = [
      '结算申请号,儿童身份证号,救助项目,辅具类别,开始月份,结束月份,服务日期,免费配发,总费用,基本医疗保险,大病保险,大病补充保险,医疗救助,自审人',
      `JG001-BULK-0001,${child.idNumber},辅助器具,助听器,,,${YEAR}-01-20,否,500,,,,,李会计`,
      // January's training is already claimed (JG001-E2E-0001): refused, the first row kept.
      `JG001-BULK-0002,${child.idNumber},康复训练,,${YEAR}-01,${YEAR}-01,,,1700,,,,,李会计`,
      // A misspelt service: refused, with the values the column takes.
      `JG001-BULK-0003,${child.idNumber},康复训良,,${YEAR}-02,${YEAR}-02,,,1700,,,,,李会计`,
    ].join('\n');
    await page.getByLabel('申报文件（.xlsx 或 .csv）').setInputFiles({ name: '申报.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: '上传并导入' }).click();
    // One row refused: not a green "done", but what is left to do.
    await expect.poll(() => page.getByTestId('bulk-partly').textContent(), { timeout: 20_000 }).toContain('2 行未受理');
    expect(await page.getByTestId('bulk-partly').textContent()).toContain('新申报 1 行');
    expect(await page.locator('.success').count()).toBe(0);
    const results = page.getByTestId('bulk-results');
    expect(await results.locator('tbody tr').count()).toBe(3);
    expect(await results.locator('tbody tr').nth(2).textContent()).toContain('可填：康复训练、早期干预');
    const refused = (await results.locator('tbody tr').nth(1).textContent())!;
    expect(refused).toContain('3'); // the sheet's row number, counting the header as row 1
    expect(refused).toContain('JG001-BULK-0002');
    expect(refused).toContain('同一月份不能重复申报');
    // The refused rows come back as the sheet had them, with the reason in a last column.
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /下载未受理的行/ }).click()]);
    // An XLSX of text cells: the 18-digit ID number stays its digits in Excel.
    expect(sheet.suggestedFilename()).toBe('未受理的行-申报.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await sheet.path())!) as unknown as ArrayBuffer);
    const returned = workbook.getWorksheet('未受理的行')!;
    expect((returned.getRow(1).values as unknown[]).slice(1, 4)).toEqual(['结算申请号', '儿童身份证号', '救助项目']);
    expect((returned.getRow(1).values as unknown[]).at(-1)).toBe('未受理原因');
    expect(returned.getRow(2).getCell(1).value).toBe('JG001-BULK-0002');
    expect(returned.getRow(2).getCell(2).value).toBe(child.idNumber);
    expect(returned.getRow(2).getCell(2).numFmt).toBe('@');
    expect(String(returned.getRow(3).getCell(15).value)).toContain('「救助项目」：不是可选的值之一（可填：康复训练');
    expect(returned.rowCount).toBe(3);
    await context.close();
  });

  it('an institution reconciles its statement and reads the report', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '对账' }).click();
    await page.getByLabel('服务月份从').fill(`${YEAR}-01`);
    await page.getByLabel('到', { exact: true }).fill(`${YEAR}-12`);
    const statement = ['结算申请号,金额', `JG001-E2E-0001,"${EXPECTED_SUBSIDY.replace('¥', '')}"`, 'JG001-NOT-KNOWN,100.00'].join('\n');
    await page.getByLabel('台账文件（.xlsx 或 .csv）').setInputFiles({ name: '台账.csv', mimeType: 'text/csv', buffer: Buffer.from(statement, 'utf8') });
    await page.getByRole('button', { name: '上传并对账' }).click();
    await page.getByRole('heading', { name: '对账结果' }).waitFor();
    await expect.poll(() => page.locator('table.list').textContent()).toContain('JG001-NOT-KNOWN');
    const table = (await page.locator('table.list').textContent())!;
    expect(table).toContain('一致');
    expect(table).toContain('系统中无此申报');
    // The returned-and-corrected device claim is in the period but not in the statement.
    expect(table).toContain('台账未列');
    // Each line names its child; the report has its number and a Chinese file name.
    expect(table).toContain('张小明');
    expect(await page.locator('h1').first().textContent()).toMatch(/^对账结果 511702-DZ-\d{4}-\d+$/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 PDF' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^对账报告-511702-DZ-\d{4}-\d+\.pdf$/);
    expect(readFileSync((await download.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The report is found again on 对账, among the past ones, and opens as it was.
    await page.getByRole('link', { name: '对账', exact: true }).click();
    const past = page.getByTestId('past-reconciliations');
    await expect.poll(() => past.textContent()).toContain(`${YEAR}年1月 至 ${YEAR}年12月`);
    await past.locator('a').first().click();
    await page.getByRole('heading', { name: '对账结果' }).waitFor();
    await expect.poll(() => page.locator('table.list').textContent()).toContain('JG001-NOT-KNOWN');
    await context.close();
  });

  it('an admin opens an account: the activation code is shown once, never a token; a second admin confirms; the first visit sets the password', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.admin);
    await page.getByRole('link', { name: '阳光儿童康复中心' }).or(page.getByText('阳光儿童康复中心')).first().waitFor();
    await screenshot(page, 'admin');
    await page.getByRole('link', { name: '用户' }).click();
    await page.getByLabel('姓名').fill('钱出纳');
    await page.getByLabel('用户名', { exact: true }).fill('qian.cn');
    await page.getByLabel('角色').selectOption('finance');
    await page.getByLabel('地区代码').fill(REGION);
    await page.getByRole('button', { name: '开设账号' }).click();
    const shown = page.getByTestId('activation-code');
    const code = (await shown.locator('code.activation-code').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{12}$/);
    expect(await shown.textContent()).toContain('需要另一位管理员在本页确认');
    expect(await page.locator('main.content').textContent()).not.toMatch(/令牌/);
    await page.getByRole('button', { name: '已交付，隐藏激活码' }).click();
    await expect.poll(() => shown.count()).toBe(0);
    const row = page.getByRole('row', { name: /钱出纳/ });
    await expect.poll(() => row.textContent()).toContain('待确认开设（县残联管理员 发起）');
    // The same admin cannot confirm their own request: the page offers it only to the other admin.
    expect(await row.getByRole('button', { name: '确认开设' }).count()).toBe(0);
    await page.getByRole('button', { name: '退出登录' }).click();

    await signIn(page, service.baseUrl, tokens.admin2);
    await page.getByRole('link', { name: '用户' }).click();
    await expect.poll(() => page.getByTestId('pending-note').textContent()).toContain('等待您确认');
    await page.getByRole('row', { name: /钱出纳/ }).getByRole('button', { name: '确认开设' }).click();
    await page.getByRole('row', { name: /钱出纳/ }).getByRole('button', { name: '确认确认' }).click();
    await expect.poll(() => page.getByRole('row', { name: /钱出纳/ }).textContent()).toContain('未激活');
    await page.getByRole('button', { name: '退出登录' }).click();

    // The first visit: the activation code sets the owner's own password.
    await page.getByRole('link', { name: '设置密码' }).click();
    await page.getByLabel('用户名').fill('qian.cn');
    await page.getByLabel('激活码').fill(code);
    await page.getByLabel('新密码', { exact: true }).fill('Kx9#qian-own-password');
    await page.getByLabel('再次输入新密码').fill('Kx9#qian-own-password');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByLabel('密码', { exact: true }).waitFor();
    await signIn(page, service.baseUrl, { username: 'qian.cn', password: 'Kx9#qian-own-password' });
    expect(await page.getByTestId('who').textContent()).toContain('钱出纳');
    await context.close();
  });

  it('a reviewer’s dashboard charts the monthly approved and paid totals', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    await page.getByRole('link', { name: '统计' }).click();
    await page.locator('figure.chart svg').waitFor();
    const figures = (await page.locator('.figures').textContent())!;
    expect(figures).toContain(`本年批准金额${EXPECTED_SUBSIDY}`);
    expect(figures).toContain(`本年支付金额${EXPECTED_SUBSIDY}`);
    expect(await page.locator('figure.chart rect.bar-approved').count()).toBe(12);
    // A scale in yuan and each month's figure on its bar, not only on hover; the chart fills its card.
    const chart = (await page.getByTestId('monthly-chart').textContent())!;
    expect(chart).toContain('元');
    expect(await page.locator('figure.chart text.bar-figure').count()).toBeGreaterThan(0);
    const [chartWidth, cardWidth] = await page.evaluate(() => {
      const document = (globalThis as unknown as { document: { querySelector(selector: string): { getBoundingClientRect(): { width: number } } } }).document;
      return [document.querySelector('figure.chart svg').getBoundingClientRect().width, document.querySelector('figure.chart').getBoundingClientRect().width];
    });
    expect(chartWidth).toBeGreaterThan(cardWidth * 0.9);
    // The batch list shows when a batch was issued and when it was paid, each in its own column.
    await page.getByRole('link', { name: '结算批次' }).click();
    await expect.poll(() => page.locator('table.list thead th').allTextContents()).toEqual(expect.arrayContaining(['签发时间', '支付日期']));
    await screenshot(page, 'reviewer-dashboard');
    await context.close();
  });

  it('a reviewer approves a lower amount with a note, and the institution sees why', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    const rows = page.locator('table.selectable tbody tr');
    await rows.filter({ hasText: '张小明' }).filter({ hasText: '助听器' }).filter({ hasText: '1月15日' }).click();
    await page.getByRole('button', { name: '核减金额' }).click();
    await page.getByLabel('批准金额（元）').fill('2000');
    await page.getByLabel('核减说明（机构可见）').fill('部分费用不属救助范围');
    await page.getByRole('button', { name: '按此金额批准' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('JG001-E2E-0003：已按核减后的金额批准');
    await context.close();

    const institution = await newPage();
    await signIn(institution.page, service.baseUrl, tokens.a);
    await institution.page.getByRole('link', { name: '申报记录' }).click();
    await institution.page.getByRole('link', { name: 'JG001-E2E-0003' }).click();
    const result = institution.page.locator('aside');
    await expect.poll(() => result.textContent()).toContain('应付救助金额 ¥2,000.00');
    expect(await result.textContent()).toContain('审核人员核减');
    expect(await result.textContent()).toContain('审核说明：部分费用不属救助范围');
    await institution.context.close();
  });

  it('a reviewer registers a child and refers it to an institution through the pages', async () => {
    const newChildIdNumber = idNumber(REGION, bornYearsAgo(4));
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    await page.getByRole('link', { name: '儿童', exact: true }).click();
    await page.getByRole('link', { name: '登记儿童' }).click();
    await page.getByLabel('身份证号').fill(newChildIdNumber);
    await page.getByLabel('姓名', { exact: true }).first().fill('王小乐');
    await page.getByLabel('残疾类别').selectOption('autism');
    await page.locator('input[name=guardianName]').fill('王大力');
    await page.locator('input[name=guardianPhone]').fill('13700000000');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await page.getByRole('heading', { name: '王小乐' }).waitFor();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('孤独症');
    // The same ID number again is refused, in words, with a way to the child already registered.
    await page.getByRole('link', { name: '← 返回儿童列表' }).click();
    await page.getByRole('link', { name: '登记儿童' }).click();
    await page.getByLabel('身份证号').fill(newChildIdNumber);
    await page.getByLabel('姓名', { exact: true }).first().fill('王小乐');
    await page.locator('input[name=guardianName]').fill('王大力');
    await page.locator('input[name=guardianPhone]').fill('13700000000');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('该记录已经存在');
    await page.getByTestId('existing-child').getByRole('link', { name: '打开王小乐的档案' }).click();
    await page.getByRole('heading', { name: '王小乐' }).waitFor();

    await page.getByText('新建救助申请').click();
    await page.getByRole('checkbox', { name: '康复训练' }).check();
    await page.getByLabel('希望的定点机构').selectOption({ label: '阳光儿童康复中心（JG-001）' });
    await page.getByRole('button', { name: '提交申请' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('救助申请已提交');

    const other = await registerThroughApi('赵小乐', 'speech', 6);
    await service.call(tokens.reviewer, 'POST', '/applications', { childId: other.id, year: Number(YEAR), services: ['training'], institutionId: institutionA.id });
    await page.getByRole('link', { name: '救助申请' }).click();
    const row = page.locator('table.list tbody tr').filter({ hasText: '王小乐' });
    await row.getByRole('button', { name: '批准并转介' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('申请已批准');
    const applications = await service.call(tokens.reviewer, 'GET', '/applications?status=approved');
    expect(applications.items.length).toBe(3);
    // Rejecting the next one without a reason: the error stands alone, not beside 申请已批准.
    const next = page.locator('table.list tbody tr').filter({ hasText: '赵小乐' });
    await next.getByRole('button', { name: '驳回' }).click();
    await next.getByRole('button', { name: '确认驳回' }).click();
    await expect.poll(() => next.getByRole('alert').textContent()).toContain('未能办理');
    expect(await page.getByText('申请已批准').count()).toBe(0);
    await context.close();
  });

  it('long lists page by the API’s cursors, forwards and back', async () => {
    for (let sequence = 100; sequence < 125; sequence++) {
      await service.call(tokens.reviewer, 'POST', '/children', {
        idNumber: idNumber(REGION, bornYearsAgo(8)),
        name: `儿童${sequence}`,
        regionCode: REGION,
        category: 'autism',
        guardian: { name: '监护人', relation: 'mother', phone: '13900000000' },
      });
    }
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    await page.getByRole('link', { name: '儿童', exact: true }).click();
    const rows = page.locator('table.list tbody tr');
    await expect.poll(() => rows.count()).toBe(20);
    const firstName = () => rows.first().locator('td').first().textContent();
    expect(await firstName()).toBe('张小明');
    await page.getByRole('button', { name: '下一页' }).click();
    await expect.poll(() => page.locator('.pager').textContent()).toContain('第 2 页');
    // The second page holds the rest, in the API's order, and there is no third.
    const all = (await service.call(tokens.reviewer, 'GET', '/children?limit=500')).items as { name: string }[];
    expect(all.length).toBeGreaterThan(20);
    expect(all.length).toBeLessThanOrEqual(40);
    await expect.poll(() => rows.count()).toBe(all.length - 20);
    expect(await firstName()).toBe(all[20]!.name);
    expect(await page.getByRole('button', { name: '下一页' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '上一页' }).click();
    await expect.poll(firstName).toBe('张小明');
    await context.close();
  });

  it('a reviewer sees when each application is due, the overdue ones marked and listed on their own', async () => {
    const late = await registerThroughApi('逾期小宝', 'speech', 6);
    // Received a month ago and still pending: past its five working days.
    const monthAgo = new Date(Date.now() + 8 * 3600_000 - 30 * 86_400_000).toISOString().slice(0, 10);
    const filed = await service.call(tokens.reviewer, 'POST', '/applications', { childId: late.id, year: Number(YEAR), services: ['training'], institutionId: institutionA.id, receivedOn: monthAgo });
    expect(filed.overdue).toBe(true);
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    await page.getByRole('link', { name: '救助申请' }).click();
    const row = page.locator('table.list tbody tr').filter({ hasText: '逾期小宝' });
    await expect.poll(() => row.textContent()).toContain('逾期');
    expect(await row.textContent()).toContain(`${Number(monthAgo.slice(5, 7))}月${Number(monthAgo.slice(8, 10))}日`);
    // The pending list leads with what is due first: the overdue one is on top.
    await expect.poll(() => page.locator('table.list tbody tr').first().textContent()).toContain('逾期小宝');
    await page.getByRole('link', { name: '逾期未批' }).click();
    await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(1);
    await screenshot(page, 'reviewer-applications-due');
    await context.close();
  });

  it('a reviewer ticks claims in the queue and approves them together after seeing the estimated total', async () => {
    const register = await registerThroughApi('批量小明', 'hearing', 5);
    const application = await service.call(tokens.reviewer, 'POST', '/applications', { childId: register.id, year: Number(YEAR), services: ['training'], institutionId: institutionA.id });
    await service.call(tokens.reviewer, 'POST', `/applications/${application.id}/approve`);
    const claimOf = (month: string, grossCost: string, externalRef: string) =>
      service.call(tokens.a, 'POST', '/claims', { externalRef, childId: register.id, service: 'training', periodFrom: `${YEAR}-${month}`, periodTo: `${YEAR}-${month}`, grossCost, reviewedBy: '李会计' });
    const first = await claimOf('01', '1000.00', 'JG001-BULK-1');
    const second = await claimOf('02', '1200.00', 'JG001-BULK-2');

    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.reviewer);
    const rows = page.locator('table.selectable tbody tr');
    await expect.poll(() => rows.filter({ hasText: 'JG001-BULK-2' }).count()).toBe(1);
    // Every row shows its due date.
    await expect.poll(() => rows.filter({ hasText: 'JG001-BULK-1' }).textContent()).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
    await page.getByLabel('选择 JG001-BULK-1').check();
    await page.getByLabel('选择 JG001-BULK-2').check();
    const bar = page.getByTestId('bulk-approval');
    await expect.poll(() => bar.textContent()).toContain('已选 2 条，预计合计 ¥2,200.00');
    await bar.getByRole('button', { name: '批量批准（先逐条核对金额）' }).click();
    await expect.poll(() => bar.getByTestId('bulk-preview').textContent()).toContain('JG001-BULK-2');
    await screenshot(page, 'reviewer-bulk-approval');
    await bar.getByRole('button', { name: '确认批准 2 条，合计 ¥2,200.00' }).click();
    await expect.poll(() => page.getByTestId('bulk-outcome').textContent()).toContain('已批准 2 条，合计 ¥2,200.00');
    for (const claim of [first, second]) expect((await service.call(tokens.reviewer, 'GET', `/claims/${claim.id}`)).status).toBe('approved');

    // The dashboard says how much was decided in time.
    await page.getByRole('link', { name: '统计' }).click();
    const timeliness = page.getByTestId('timeliness');
    await expect.poll(() => timeliness.textContent()).toContain('结算申报审核按时办结');
    expect(await timeliness.textContent()).toContain('救助申请审批按时办结');
    expect(await timeliness.textContent()).toContain('现逾期未办 1 件');
    await context.close();
  });

  it('after one user signs out and another signs in in the same tab, the new user lands on their own home page', async () => {
    const { context, page } = await newPage();
    await signIn(page, service.baseUrl, tokens.a);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByRole('heading', { name: '新建申报' }).or(page.locator('h1')).first().waitFor();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill(tokens.reviewer.username);
    await page.getByLabel('密码', { exact: true }).fill(tokens.reviewer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('待审核申报');
    expect(await page.getByText('无权访问').count()).toBe(0);
    // A page both may use stays: a reviewer who signs in on 全部申报 stays there.
    await page.getByRole('link', { name: '全部申报' }).click();
    const claimsHeading = (await page.locator('h1').first().textContent())!;
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('用户名').fill(tokens.a.username);
    await page.getByLabel('密码', { exact: true }).fill(tokens.a.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    expect(await page.locator('h1').first().textContent()).not.toBe('无权访问');
    expect(claimsHeading).not.toBe('无权访问');
    await context.close();
  });

  it('every page of every role fits 1280×720 without scrolling sideways; the claim form, the queue and the batch page fit a 390×844 phone', async () => {
    const claims = await service.call(tokens.a, 'GET', '/claims?limit=5');
    const batches = await service.call(tokens.reviewer, 'GET', '/batches?limit=5');
    const someChild = await service.call(tokens.reviewer, 'GET', '/children?limit=1');
    const pages: Record<string, string[]> = {
      a: ['/claims/new', '/claims', `/claims/${claims.items[0].id}`, '/claims/upload', '/children', `/children/${child.id}`, '/batches', '/reconciliation', '/applications'],
      reviewer: ['/review', '/claims', `/claims/${claims.items[0].id}`, '/children', `/children/${someChild.items[0].id}`, '/applications', '/batches', `/batches/${batches.items[0].id}`, '/dashboard', '/reconciliation', '/allowance/beneficiaries'],
      finance: ['/batches', '/paid', `/batches/${batches.items[0].id}`, '/allowance/rolls', '/allowance/stats'],
      admin: ['/institutions', '/users', '/policies'],
    };
    const overflowing: string[] = [];
    const measure = async (token: Person, paths: string[], width: number, height: number) => {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      await signIn(page, service.baseUrl, token);
      for (const path of paths) {
        await page.goto(`${service.baseUrl}/#${path}`);
        await page.locator('main.content h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        // The widest elements are named in the failure, to say where the page overflows.
        const [scrollWidth, innerWidth, culprits] = await page.evaluate(() => {
          interface Node { tagName: string; className: string; getBoundingClientRect(): { right: number }; children: ArrayLike<Node> }
          const window = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): ArrayLike<Node> } };
          const wide = Array.from(window.document.querySelectorAll('main *'))
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .filter((element) => !Array.from(element.children).some((child) => child.getBoundingClientRect().right > window.innerWidth + 1))
            .slice(0, 4)
            .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).replace(/ /g, '.')}`);
          return [window.document.documentElement.scrollWidth, window.innerWidth, wide.join(' ')] as const;
        });
        if (scrollWidth > innerWidth) overflowing.push(`${path} at ${width}: ${scrollWidth} > ${innerWidth} (${culprits})`);
      }
      await context.close();
    };
    for (const [who, paths] of Object.entries(pages)) await measure(tokens[who as keyof typeof tokens], paths, 1280, 720);

    // The queue at 1280×720: a chosen claim's decision buttons are in view without scrolling, and
    // a row stays within two lines.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await service.call(tokens.a, 'POST', '/claims', { externalRef: 'JG001-E2E-QUEUE', childId: child.id, service: 'device', deviceKind: 'mobility_aid', serviceDate: today, grossCost: '300', reviewedBy: '李会计' });
    const office = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    office.setDefaultTimeout(15_000);
    const queue = await office.newPage();
    await signIn(queue, service.baseUrl, tokens.reviewer);
    const row = queue.locator('table.selectable tbody tr').filter({ hasText: 'JG001-E2E-QUEUE' });
    await row.click();
    expect(await row.getByTestId('waiting-days').textContent()).toBe('0 天');
    const approve = queue.getByTestId('review-claim').getByRole('button', { name: /^批准/ });
    await approve.waitFor();
    const box = (await approve.boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(720);
    const heights = await queue.locator('table.selectable tbody tr').evaluateAll((rows) => rows.map((element) => (element as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height));
    expect(Math.max(...heights)).toBeLessThan(64);
    await office.close();
    await measure(tokens.a, ['/claims/new'], 390, 844);
    await measure(tokens.reviewer, ['/review', `/batches/${batches.items[0].id}`], 390, 844);
    expect(overflowing).toEqual([]);
  });

  it('no page asked for anything beyond the service', () => {
    expect(requestsOffSite).toEqual([]);
  });
});
