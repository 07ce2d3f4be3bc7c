import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, chinaDate, E2E_ADMIN_TOKEN, fitsWidth, launchChromium, menu, personPage, type Person, screenshot, Service } from './browser.js';

// The basic-living money of children in difficulty in the console (protection.md §8): one civil
// affairs officer builds last month's roll and is told another must issue it (security.md §2);
// the other issues it after being told what that fixes; finance downloads the summary and the bank
// list (摘要 by months, never a category) and uploads the bank's return file with one transfer
// failed; this month's roll holds that child (银行退回) with the months waiting. Each page fits
// 1280 and 390 px.

const REGION = '511702';
const VILLAGE = '511702001003';
const thisMonth = chinaDate().slice(0, 7);
const monthsBack = (n: number) => {
  const index = Number(thisMonth.slice(0, 4)) * 12 + Number(thisMonth.slice(5, 7)) - 1 - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
const lastMonth = monthsBack(1);
const year = Number(thisMonth.slice(0, 4));

const service = new Service();
let browser: Browser;
const people = {} as Record<'township' | 'civilAffairs' | 'civilAffairs2' | 'finance', Person>;
let lastRollUrl = '';
let siqi: { id: string; childId: string };

const pageAs = (person: Person, width = 1280) => personPage(browser, service.baseUrl, person, { width, height: 800 });

/** An orphan of the township's village, received two months ago and recognised today (covered from the month received). */
async function recognisedOrphan(name: string, birth: string, accountNumber: string) {
  const child = await service.call(people.township, 'POST', '/children', {
    idNumber: idNumber(REGION, birth),
    name,
    regionCode: REGION,
    villageCode: VILLAGE,
    guardian: { name: '李秀英', relation: '祖母', phone: '13800000000' },
  });
  const received = await service.call(people.township, 'POST', '/protection/cases', {
    childId: child.id,
    receivedOn: `${monthsBack(2)}-03`,
    viaVillage: false,
    applicant: { name: '李秀英', relation: '祖母', phone: '13800000000' },
    categories: ['orphan'],
    schoolingSupport: false,
    leftBehind: false,
    hivAffected: false,
    parents: { father: [{ situation: 'dead', since: `${year - 4}-01-01`, until: null, documents: ['死亡证明'] }], mother: [{ situation: 'dead', since: `${year - 3}-06-01`, until: null, documents: ['死亡证明'] }] },
    documents: ['户口簿'],
    bankAccount: { bank: '四川农信', accountName: '李秀英', accountNumber },
  });
  await service.call(people.township, 'POST', `/protection/cases/${received.id}/check`, { decision: 'agree' });
  return service.call<{ id: string; childId: string }>(people.civilAffairs, 'POST', `/protection/cases/${received.id}/recognise`, {});
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  people.township = await account(service, { name: '刘干事', role: 'township', townshipCode: '511702001' });
  people.civilAffairs = await account(service, { name: '钱民政', role: 'civil_affairs', regionCode: REGION });
  people.civilAffairs2 = await account(service, { name: '孙民政', role: 'civil_affairs', regionCode: REGION });
  people.finance = await account(service, { name: '赵出纳', role: 'finance', regionCode: REGION });
  // Covered from the month the application was received: last month's roll pays two months.
  await service.call(E2E_ADMIN_TOKEN, 'PUT', `/regions/${REGION}/settings`, { protectionCoverFrom: 'received_month' });
  siqi = await recognisedOrphan('李思琪', `${year - 9}-04-04`, '6214670000000008081');
  await recognisedOrphan('王小雨', `${year - 10}-05-05`, '6214670000000008082');
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('the basic-living rolls in the console', () => {
  it('钱民政 builds last month’s roll (2 children × 2 months of 散居孤儿); as its builder he is told another officer issues it, and may cancel it only after being told what is lost', async () => {
    const page = await pageAs(people.civilAffairs);
    await menu(page, '基本生活费名册');
    await page.getByRole('heading', { name: '困境儿童基本生活费发放名册' }).waitFor();
    await page.getByLabel('发放月份').fill(lastMonth);
    await page.getByRole('button', { name: '生成名册' }).click();
    await page.getByRole('heading', { name: new RegExp(`${REGION}-JB-${lastMonth}\\s*草稿`) }).waitFor();
    // The seeded national minimum of a scattered orphan, 600.00 a month: 2 × 2 × 600.00.
    await expect.poll(() => page.getByTestId('roll-total').textContent()).toContain('¥2,400.00');
    expect(await page.getByTestId('roll-split').textContent()).toMatch(/散居孤儿\s*¥2,400.00/);
    const transfers = (await page.getByTestId('transfers').textContent())!;
    for (const words of ['李思琪', '王小雨', '东城街道', '翠屏路社区', '6214670000000008081', `${monthLabel(monthsBack(2))}至${monthLabel(lastMonth)}`]) expect(transfers).toContain(words);
    expect(await page.locator('[data-testid=transfers] thead').textContent()).toMatch(/乡镇（街道）.*村（社区）/);
    // Four eyes: the builder may not issue; nothing to click, the reason said.
    await expect.poll(() => page.getByTestId('second-officer').textContent()).toContain('另一位经办人员');
    expect(await page.getByRole('button', { name: '交付财政发放' }).count()).toBe(0);
    // Cancelling asks first; 取消 leaves the draft as it was.
    await page.getByRole('button', { name: '作废名册' }).click();
    await expect.poll(() => page.getByTestId('roll-confirm').textContent()).toContain('其中的月份回到待发放');
    await page.getByTestId('roll-confirm').getByRole('button', { name: '取消' }).click();
    expect(await page.getByTestId('roll-confirm').count()).toBe(0);
    // No documents before the issue.
    expect(await page.getByRole('button', { name: /下载/ }).count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'basic-living-roll-draft-1280');
    lastRollUrl = page.url();
    await page.context().close();
  });

  it('the builder’s issue is refused by the service too (409 FOUR_EYES_REQUIRED); 孙民政 issues it after the confirmation and downloads the summary', async () => {
    const rollId = lastRollUrl.split('/').at(-1)!;
    const refused = await service.call(people.civilAffairs, 'POST', `/protection/rolls/${rollId}/issue`, undefined, [409]);
    expect(refused.error.code).toBe('FOUR_EYES_REQUIRED');

    const page = await pageAs(people.civilAffairs2);
    await page.goto(lastRollUrl);
    await expect.poll(() => page.locator('.facts').textContent()).toContain('钱民政');
    await page.getByRole('button', { name: '交付财政发放' }).click();
    await expect.poll(() => page.getByTestId('roll-confirm').textContent()).toContain('不能再修改，也不能再作废');
    await page.getByTestId('roll-confirm').getByRole('button', { name: /^确认交付/ }).click();
    await page.getByRole('heading', { name: /已交付财政/ }).waitFor();
    expect(await page.locator('.facts').textContent()).toContain('孙民政');
    expect(await page.getByRole('button', { name: '作废名册' }).count()).toBe(0);
    const [summary] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载发放汇总表（PDF）' }).click()]);
    expect(readFileSync((await summary.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await page.context().close();
  });

  it('finance downloads the bank list (摘要 names the months, never a category) and records the bank’s return file: 王小雨’s transfer failed, 账户已销户', async () => {
    const page = await pageAs(people.finance);
    await menu(page, '基本生活费名册');
    await page.getByRole('link', { name: `${REGION}-JB-${lastMonth}` }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载代发清单（CSV）' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    // 2026年10月至11月基本生活费; 2025年12月至2026年1月基本生活费 across a year's end.
    const sameYear = monthsBack(2).slice(0, 4) === lastMonth.slice(0, 4);
    expect(csv).toContain(`${monthLabel(monthsBack(2))}至${sameYear ? `${Number(lastMonth.slice(5, 7))}月` : monthLabel(lastMonth)}基本生活费`);
    expect(csv).not.toMatch(/孤儿|事实无人抚养/);
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    const failed = lines.find((line) => line.includes('6214670000000008082'))!.split(',')[0];
    const [sheet] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载代发清单（Excel）' }).click()]);
    expect(sheet.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'rehab-e2e-jb-')), '回盘.csv');
    writeFileSync(file, `序号,结果,失败原因\n${lines.slice(1, 3).map((line) => line.split(',')[0]).map((no) => (no === failed ? `${no},失败,账户已销户` : `${no},成功,`)).join('\n')}\n`);
    await page.getByLabel('银行回盘文件').setInputFiles(file);
    await page.getByRole('button', { name: '登记转账结果' }).click();
    await page.getByRole('heading', { name: /已发放完毕/ }).waitFor();
    const row = page.getByTestId('transfers').locator('tbody tr', { hasText: '王小雨' });
    expect(await row.textContent()).toContain('失败（账户已销户）');
    expect(await page.getByTestId('transfers').locator('tbody tr', { hasText: '李思琪' }).textContent()).toContain('成功');
    // Finance reads no case: the names are not links.
    expect(await row.getByRole('link').count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'basic-living-roll-settled-1280');
    await page.context().close();
  });

  it('this month’s roll pays 李思琪 and holds 王小雨 (银行退回) with three months waiting; the statistics count the year’s payments; the phone shows it without scrolling sideways', async () => {
    const page = await pageAs(people.civilAffairs);
    await menu(page, '基本生活费名册');
    await page.getByLabel('发放月份').fill(thisMonth);
    await page.getByRole('button', { name: '生成名册' }).click();
    await page.getByRole('heading', { name: new RegExp(`${REGION}-JB-${thisMonth}`) }).waitFor();
    await expect.poll(() => page.getByTestId('roll-total').textContent()).toContain('¥600.00');
    expect(await page.getByTestId('transfers').textContent()).not.toContain('王小雨');
    const held = page.getByTestId('held').locator('tbody tr', { hasText: '王小雨' });
    expect(await held.textContent()).toContain('银行退回，待更换账户');
    expect(await held.textContent()).toContain(`${monthLabel(monthsBack(2))}至${monthLabel(thisMonth)}（3 个月）`);
    expect(await held.textContent()).toContain('¥1,800.00');
    expect(await held.textContent()).toContain('东城街道');
    await screenshot(page, 'basic-living-roll-held-1280');
    const rollUrl = page.url();

    await menu(page, '基本生活费统计');
    await expect.poll(() => page.getByTestId('payments-budget').textContent()).toMatch(/已发放\s*¥1,200.00/);
    expect(await page.getByTestId('held-and-owed').textContent()).toContain('银行退回，待更换账户 1 人');
    await page.context().close();

    const phone = await pageAs(people.civilAffairs, 390);
    for (const where of [rollUrl, `${service.baseUrl}/#/protection/rolls`, `${service.baseUrl}/#/protection/overpayments`, `${service.baseUrl}/#/protection/payments`]) {
      await phone.goto(where);
      await phone.locator('main.content h1').first().waitFor();
      await phone.waitForLoadState('networkidle');
      expect(await fitsWidth(phone), where).toBe(true);
    }
    await phone.goto(rollUrl);
    await phone.getByTestId('held').waitFor();
    await screenshot(phone, 'basic-living-roll-held-390');
    await phone.context().close();
  });

  it('李思琪 was adopted before last month: its paid month is owed back; 钱民政 records 100.00 recovered and asks to waive the rest, which waits for 孙民政 to confirm; her file shows each month and its roll', async () => {
    const page = await pageAs(people.civilAffairs);
    // The exit is recorded on her case page, which says first what the exit makes owed back.
    await page.goto(`${service.baseUrl}/#/protection/cases/${siqi.id}`);
    await page.getByTestId('case-payments').waitFor();
    await page.getByRole('button', { name: '退出', exact: true }).click();
    await page.getByLabel('事由发生日期').fill(`${monthsBack(2)}-20`);
    await page.getByLabel('停止保障月份（默认次月）').fill(lastMonth);
    await expect.poll(() => page.getByTestId('exit-overpayment').textContent()).toContain('¥600.00');
    await page.getByRole('button', { name: '确认退出' }).click();
    await page.getByText('自 ').first().waitFor();
    await menu(page, '基本生活费应退款');
    const row = page.getByTestId('overpayments').locator('tbody tr', { hasText: '李思琪' });
    await expect.poll(() => row.textContent()).toContain('待追回');
    expect(await row.textContent()).toContain('¥600.00');
    await row.getByRole('button', { name: '登记追回' }).click();
    await page.getByLabel('追回金额（元）').fill('100');
    await page.getByLabel('凭证号').fill('HK-001');
    await page.getByRole('button', { name: '登记追回', exact: true }).click();
    await expect.poll(() => row.textContent()).toContain('部分追回');
    expect(await row.textContent()).toContain('¥500.00');
    await row.getByRole('button', { name: '申请核销' }).click();
    await page.getByLabel('核销原因').fill('家庭困难，经研究予以核销');
    await page.getByRole('button', { name: '申请核销', exact: true }).click();
    await expect.poll(() => page.getByTestId('pending-waiver').textContent()).toContain('须由另一位经办人员确认');
    expect(await row.getByRole('button', { name: '确认核销' }).count()).toBe(0);
    expect(await fitsWidth(page)).toBe(true);
    await screenshot(page, 'basic-living-overpayments-1280');
    await page.context().close();

    const second = await pageAs(people.civilAffairs2);
    await menu(second, '基本生活费应退款');
    const same = second.getByTestId('overpayments').locator('tbody tr', { hasText: '李思琪' });
    await same.getByRole('button', { name: '确认核销' }).click();
    await expect.poll(() => same.textContent()).toContain('已核销（家庭困难，经研究予以核销）');
    await second.goto(`${service.baseUrl}/#/protection/children/${siqi.childId}`);
    const months = second.getByTestId('file-payments');
    await expect.poll(() => months.textContent()).toContain(`${REGION}-JB-${lastMonth}`);
    const first = (await months.locator('tbody tr').first().textContent())!;
    expect(first).toContain(monthLabel(monthsBack(2)));
    expect(first).toContain('已发放');
    // Nothing is due from the exit on.
    expect(await months.textContent()).not.toContain(monthLabel(thisMonth));
    await second.context().close();
  });
});
