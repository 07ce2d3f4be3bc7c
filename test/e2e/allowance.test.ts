import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, chinaDate, launchChromium, type Person, Service, signIn } from './browser.js';

// The care allowance in the console, as the three offices do a month of it: the 残联 reviewer
// reports a certified child, civil affairs approves it and runs the roll through its public
// notice, a second civil affairs officer issues it to finance (security.md §2), finance downloads
// the bank list and uploads the bank's return file, and the reviewer asks for the account the bank
// refused to be replaced, which civil affairs confirms.

const REGION = '511702';
const today = chinaDate();
const thisMonth = today.slice(0, 7);
const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
const monthsBack = (n: number) => {
  const index = Number(thisMonth.slice(0, 4)) * 12 + Number(thisMonth.slice(5, 7)) - 1 - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
// Accepted on the 10th two months ago: that month, the next and this one are due, 3 × 30.00.
const ACCEPTED_ON = `${monthsBack(2)}-10`;
const ACCOUNT = '6214670000000012345';

const service = new Service();
let browser: Browser;
const tokens = {} as Record<'reviewer' | 'civilAffairs' | 'civilAffairs2' | 'finance', Person>;
let child: { id: string; idNumber: string };

async function pageAs(token: Person, width = 1280): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, service.baseUrl, token);
  return page;
}

/** The rest of the enrol form as the reviewer fills it for 赵小花's family. */
async function fillEnrolment(page: Page) {
    await page.getByLabel('受理日期').fill(ACCEPTED_ON);
    await page.getByLabel('受理单位').fill('东城街道办事处');
    await page.getByLabel('村（社区）', { exact: true }).fill('朝阳社区');
    await page.getByLabel('开户银行').fill('四川农信');
    await page.getByLabel('户名').fill('赵大山');
    await page.getByLabel('银行账号').fill('6214 6700 0000 0012 345');
}

const fitsWidth = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement.scrollWidth <= (globalThis as unknown as { innerWidth: number }).innerWidth);

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const user = (name: string, role: string) => account(service, { name, role, regionCode: REGION });
  tokens.reviewer = await user('王审核', 'reviewer');
  tokens.civilAffairs = await user('钱民政', 'civil_affairs');
  tokens.civilAffairs2 = await user('孙民政', 'civil_affairs');
  tokens.finance = await user('赵出纳', 'finance');
  const id = idNumber(REGION, `${Number(today.slice(0, 4)) - 8}-03-01`, 'female');
  child = await service.call(tokens.reviewer, 'POST', '/children', {
    idNumber: id,
    name: '赵小花',
    regionCode: REGION,
    category: 'autism',
    certificateNo: `${id}62`,
    guardian: { name: '赵大山', relation: 'father', phone: '13800000000' },
  });
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('the care allowance in the console', () => {
  it('the reviewer reports a certified child (the form names whose ID number was typed) with the family’s account written in groups; a second report names and links the record; the list finds it by name and by the last 6 characters', async () => {
    const page = await pageAs(tokens.reviewer);
    await page.getByRole('link', { name: '关爱补贴对象' }).click();
    await page.getByRole('button', { name: '报送新对象' }).click();
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await expect.poll(() => page.getByTestId('typed-child').textContent()).toContain('赵小花');
    await fillEnrolment(page);
    await page.getByRole('button', { name: '报送', exact: true }).click();
    await page.getByText('已报送 赵小花，待民政局审核。').waitFor();
    expect(await fitsWidth(page)).toBe(true);
    // Reported again: the form names the record and links to it.
    await page.getByRole('button', { name: '报送新对象' }).click();
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await fillEnrolment(page);
    await page.getByRole('button', { name: '报送', exact: true }).click();
    await expect.poll(() => page.getByTestId('existing-beneficiary').textContent()).toContain('该儿童已有关爱补贴记录');
    const existingLink = await page.getByTestId('existing-beneficiary').getByRole('link').getAttribute('href');
    // Found by part of the name and by the ID number's last 6 characters; not by another name.
    for (const [typed, found] of [['小花', 1], [child.idNumber.slice(-6), 1], ['钱', 0]] as const) {
      await page.goto(`${service.baseUrl}/#/allowance/beneficiaries`);
      await page.getByLabel('查找儿童').fill(typed);
      await page.getByRole('button', { name: '查找' }).click();
      await expect.poll(() => page.url()).toContain(`q=${encodeURIComponent(typed)}`);
      await expect.poll(() => page.locator('table.list tbody tr').count()).toBe(found);
    }
    // The reviewer sees the account masked.
    await page.goto(`${service.baseUrl}/${existingLink}`);
    await expect.poll(() => page.getByTestId('bank-account').textContent()).toContain('6214***********2345');
    await page.context().close();
  });

  it('civil affairs approves it, builds the month’s roll (3 months, ¥90.00), cancels it after being told what is lost, builds it again (a second build is told the month’s roll exists) and publishes the notice; the notice over, a second officer issues it', async () => {
    const page = await pageAs(tokens.civilAffairs);
    await page.getByRole('link', { name: '赵小花' }).click();
    await page.getByRole('button', { name: '审核通过' }).click();
    await page.getByRole('button', { name: '确认审核通过' }).click();
    await page.getByRole('heading', { name: /赵小花\s*在册/ }).waitFor();
    expect(await page.locator('table.list tbody tr').count()).toBe(3);
    await page.getByRole('link', { name: '发放名册' }).click();
    await page.getByRole('button', { name: '生成名册' }).click();
    await page.getByRole('heading', { name: new RegExp(`${REGION}-GA-${thisMonth}`) }).waitFor();
    await expect.poll(() => page.getByTestId('roll-total').textContent()).toContain('¥90.00');
    // Cancelling asks first, naming what is lost; only the confirmation cancels.
    await page.getByRole('button', { name: '作废名册' }).click();
    await expect.poll(() => page.getByTestId('roll-confirm').textContent()).toContain('其中的月份回到待发放，须重新生成名册');
    await page.getByTestId('roll-confirm').getByRole('button', { name: /^确认作废/ }).click();
    await page.getByRole('heading', { name: /已作废/ }).waitFor();
    await page.getByRole('link', { name: '发放名册' }).click();
    await page.getByRole('button', { name: '生成名册' }).click();
    await page.getByRole('heading', { name: new RegExp(`${REGION}-GA-${thisMonth}`) }).waitFor();
    await expect.poll(() => page.getByTestId('roll-total').textContent()).toContain('¥90.00');
    const rebuiltUrl = page.url();
    // Building the month again says the month's roll exists, in words, with no technical expander.
    await page.getByRole('link', { name: '发放名册' }).click();
    await page.getByRole('button', { name: '生成名册' }).click();
    const refused = page.getByRole('alert');
    await expect.poll(() => refused.textContent()).toContain(`${Number(thisMonth.slice(0, 4))}年${Number(thisMonth.slice(5, 7))}月名册已存在`);
    expect(await refused.getByTestId('technical').count()).toBe(0);
    await page.goto(rebuiltUrl);
    expect(await page.getByTestId('transfers').textContent()).toContain(ACCOUNT);
    // The paper notice went up ten days ago: the period is over and the roll may be issued.
    await page.getByLabel('公示开始日期').fill(chinaDate(-10));
    await page.getByRole('button', { name: '发布公示' }).click();
    // The officer who built it is told that another issues it, and offered no button to do it.
    await expect.poll(() => page.getByTestId('second-officer').textContent()).toContain('另一位经办人员');
    expect(await page.getByRole('button', { name: '交付财政发放' }).count()).toBe(0);
    const rollUrl = page.url();
    await page.context().close();

    const second = await pageAs(tokens.civilAffairs2);
    await second.goto(rollUrl);
    await expect.poll(() => second.locator('.facts').textContent()).toContain('钱民政');
    await second.getByRole('button', { name: '交付财政发放' }).click();
    await expect.poll(() => second.getByTestId('roll-confirm').textContent()).toContain('不能再修改，也不能再作废');
    await second.getByTestId('roll-confirm').getByRole('button', { name: /^确认交付/ }).click();
    await second.getByRole('heading', { name: /已交付财政/ }).waitFor();
    expect(await second.locator('.facts').textContent()).toContain('孙民政');
    expect(await fitsWidth(second)).toBe(true);
    const [notice] = await Promise.all([second.waitForEvent('download'), second.getByRole('button', { name: '下载公示（PDF）' }).click()]);
    expect(notice.suggestedFilename()).toMatch(/notice\.pdf$/);
    await second.context().close();
  });

  it('finance downloads the bank list and uploads the bank’s return file: the transfer failed, 账户已销户', async () => {
    const page = await pageAs(tokens.finance);
    await page.getByRole('link', { name: '关爱补贴名册' }).click();
    await page.getByRole('link', { name: `${REGION}-GA-${thisMonth}` }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载代发清单（CSV）' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // The account number as plain digits: a bank's batch import reads the CSV as data.
    expect(csv).toContain(`,${ACCOUNT},`);
    expect(csv).not.toContain('=');
    expect(csv).toContain('90.00');
    const dir = mkdtempSync(path.join(tmpdir(), 'rehab-e2e-results-'));
    const file = path.join(dir, '回盘.csv');
    writeFileSync(file, '序号,结果,失败原因\n1,失败,账户已销户\n');
    await page.getByLabel('银行回盘文件').setInputFiles(file);
    await page.getByRole('button', { name: '登记转账结果' }).click();
    await expect.poll(() => page.getByTestId('transfers').textContent()).toContain('失败（账户已销户）');
    await page.getByRole('heading', { name: /已发放完毕/ }).waitFor();
    await page.context().close();
  });

  it('the reviewer sees the bank-failure hold and asks for a new account; civil affairs confirms it, which ends the hold', async () => {
    const page = await pageAs(tokens.reviewer);
    await page.getByRole('link', { name: '关爱补贴对象' }).click();
    await page.getByRole('link', { name: '赵小花' }).click();
    await expect.poll(() => page.getByTestId('holds').textContent()).toContain('转账失败');
    await page.getByRole('button', { name: '更改收款账户' }).click();
    await page.getByLabel('新银行账号').fill('6228480000000067890');
    await page.getByRole('button', { name: '确认更改收款账户' }).click();
    // Pending until another confirms it: the old account and the hold stay, and the asker may not confirm.
    await expect.poll(() => page.getByTestId('pending-account').textContent()).toContain('6228***********7890');
    expect(await page.getByTestId('pending-account').textContent()).toContain('须由残联或民政局另一位同事确认');
    expect(await page.getByTestId('bank-account').textContent()).toContain('6214***********2345');
    expect(await page.getByTestId('holds').textContent()).toContain('转账失败');
    expect(await page.getByRole('button', { name: '新账户生效' }).count()).toBe(0);
    const recordUrl = page.url();
    await page.context().close();

    const civil = await pageAs(tokens.civilAffairs);
    await civil.goto(recordUrl);
    await expect.poll(() => civil.getByTestId('pending-account').textContent()).toContain('王审核');
    await civil.getByRole('button', { name: '新账户生效' }).click();
    await civil.getByRole('button', { name: '确认新账户生效' }).click();
    await expect.poll(() => civil.getByTestId('bank-account').textContent()).toContain('6228480000000067890');
    expect(await civil.getByTestId('pending-account').count()).toBe(0);
    expect(await civil.getByTestId('holds').count()).toBe(0);
    // The months are due again, to be paid once in the next roll.
    expect(await civil.locator('table.list tbody').textContent()).toContain('待发放');
    await civil.context().close();
  });

  it('an exited record: 起止月份 ends the month before the exit, and an overdue review the exit ended shows no hold and its months as due', async () => {
    // Accepted 14 months ago and never verified since: overdue for review until the exit settles it.
    const id = idNumber(REGION, `${Number(today.slice(0, 4)) - 10}-05-05`, 'male');
    const other = await service.call(tokens.reviewer, 'POST', '/children', {
      idNumber: id,
      name: '钱小宝',
      regionCode: REGION,
      category: 'autism',
      certificateNo: `${id}62`,
      guardian: { name: '钱大山', relation: 'father', phone: '13800000001' },
    });
    const enrolled = await service.call(tokens.reviewer, 'POST', '/allowance/beneficiaries', {
      childId: other.id,
      tier: 'care',
      acceptedOn: `${monthsBack(14)}-10`,
      acceptedBy: '东城街道办事处',
      community: { name: '朝阳社区' },
      bankAccount: { bank: '四川农信', accountName: '钱大山', accountNumber: '6214670000000054321' },
    });
    await service.call(tokens.civilAffairs, 'POST', `/allowance/beneficiaries/${enrolled.id}/approve`, {});
    const page = await pageAs(tokens.civilAffairs);
    await page.goto(`${service.baseUrl}/#/allowance/beneficiaries/${enrolled.id}`);
    await expect.poll(() => page.getByTestId('holds').textContent()).toContain('逾期未复核');
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByLabel('自月份起停发').fill(thisMonth);
    await page.getByRole('button', { name: '确认退出' }).click();
    await page.getByRole('heading', { name: /钱小宝\s*已退出/ }).waitFor();
    // The exit settled the review: no hold shown, and every month before the exit waits as due, not held.
    expect(await page.getByTestId('holds').count()).toBe(0);
    const months = (await page.locator('table.list tbody').textContent())!;
    expect(months).toContain('待发放');
    expect(months).not.toContain('暂停待发');
    await expect.poll(() => page.getByTestId('paid-period').textContent()).toContain(`${monthLabel(monthsBack(14))} 至 ${monthLabel(monthsBack(1))}`);
    await page.getByRole('link', { name: '关爱补贴对象' }).click();
    const row = page.locator('table.list tbody tr', { hasText: '钱小宝' });
    await expect.poll(() => row.textContent()).toContain(`${monthLabel(monthsBack(14))}—${monthLabel(monthsBack(1))}`);
    expect(await row.textContent()).not.toContain(monthLabel(thisMonth));
    await page.context().close();
  });

  it('the allowance pages fit a 390 px phone', async () => {
    const page = await pageAs(tokens.civilAffairs, 390);
    await page.goto(`${service.baseUrl}/#/allowance/rolls`);
    await page.getByRole('heading', { name: '关爱补贴发放名册' }).waitFor();
    expect(await fitsWidth(page)).toBe(true);
    await page.context().close();
  });
});
