import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { account, E2E_ADMIN_TOKEN, launchChromium, personPage, Service, type Person } from './browser.js';

// Issue 27, point 5: the admin's work in the console: a region's settings (review days, supervision
// phone, the offices documents name, the evidence each service needs), its budgets and target, the
// working calendar, the care allowance's standards, and the backups.

const service = new Service();
let browser: Browser;
let admin: Person;

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  admin = await account(service, { name: '县残联管理员', role: 'admin' }, E2E_ADMIN_TOKEN);
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('the admin’s pages', () => {
  it('a region’s settings: review days, supervision phone, the offices documents name, the evidence each service needs', async () => {
    const page = await personPage(browser, service.baseUrl, admin);
    await page.getByRole('link', { name: '地区设置' }).click();
    await page.getByLabel('地区代码').fill('511702');
    await page.getByRole('heading', { name: '审核、公示、出具单位与佐证材料' }).waitFor();
    await page.getByLabel('审核时限（工作日）').fill('7');
    await page.getByLabel('监督电话').fill('0818-2123456');
    await page.getByLabel('残疾人联合会（出具结算单、对账报告）').fill('达州市通川区残疾人联合会');
    await page.getByLabel('民政局（出具关爱补贴公示、汇总表、代发清单）').fill('达州市通川区民政局');
    await page.getByLabel('财政局（结算单上盖章付款）').fill('达州市通川区财政局');
    await page.getByLabel('康复训练须上传训练考勤').check();
    await page.getByLabel('康复训练须上传发票').check();
    await page.getByLabel('肢体矫治手术须上传出院小结').check();
    await page.getByRole('button', { name: '保存地区设置' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('地区设置已保存');
    const stored = await service.call(admin, 'GET', '/regions/511702/settings');
    expect(stored).toMatchObject({
      reviewWorkingDays: 7,
      supervisionPhone: '0818-2123456',
      authorities: { disabledPersonsFederation: '达州市通川区残疾人联合会', civilAffairs: '达州市通川区民政局', finance: '达州市通川区财政局' },
      requiredEvidence: { training: ['attendance', 'invoice'], limb_surgery: ['discharge_summary'] },
    });
    // Opened again, the page shows what is stored.
    await page.reload();
    await expect.poll(() => page.getByLabel('审核时限（工作日）').inputValue()).toBe('7');
    expect(await page.getByLabel('康复训练须上传发票').isChecked()).toBe(true);
    await page.context().close();
  });

  it('a year’s budgets and target of children aided', async () => {
    const page = await personPage(browser, service.baseUrl, admin);
    await page.goto(`${service.baseUrl}/#/regions?code=511702`);
    await page.getByRole('heading', { name: '年度预算与目标' }).waitFor();
    await page.getByLabel('年度', { exact: true }).fill('2026');
    await expect.poll(() => page.getByLabel('年度救助儿童目标（人）').inputValue()).toBe('270');
    await page.getByLabel('康复救助预算（元）').fill('4,600,000');
    await page.getByLabel('关爱补贴预算·县本级财政（元）').fill('20000');
    await page.getByLabel('年度救助儿童目标（人）').fill('300');
    await page.getByRole('button', { name: '保存预算和目标' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('2026 年预算和目标已保存');
    expect(await service.call(admin, 'GET', '/regions/511702/budgets/2026')).toMatchObject({ rehabilitation: '4600000.00', allowanceCounty: '20000.00', allowanceHardship: null });
    expect((await service.call(admin, 'GET', '/stats?year=2026&regionCode=511702')).children.target).toBe(300);
    await page.context().close();
  });

  it('the working calendar of a year nobody recorded says so, and takes the year’s holidays and make-up days', async () => {
    const page = await personPage(browser, service.baseUrl, admin);
    await page.getByRole('link', { name: '工作日历' }).click();
    await page.getByLabel('年度').fill('2099');
    await expect.poll(() => page.getByTestId('calendar-source').textContent()).toContain('2099 年数据来源：尚无该年数据：仅按周一至周五计算工作日');
    await page.getByLabel(/法定节假日/).fill('2099-01-01\n2099-01-02');
    await page.getByLabel(/调休上班日/).fill('2099-01-03');
    await page.getByRole('button', { name: '录入 2099 年工作日历' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('2 个节假日，1 个调休上班日');
    await expect.poll(() => page.getByTestId('calendar-source').textContent()).toContain('管理员录入');
    expect(await service.call(admin, 'GET', '/calendar/2099')).toEqual({ year: 2099, source: 'recorded', holidays: ['2099-01-01', '2099-01-02'], workdays: ['2099-01-03'] });
    await page.context().close();
  });

  it('the care allowance’s standards are listed and a new one is added', async () => {
    const page = await personPage(browser, service.baseUrl, admin);
    await page.getByRole('link', { name: '关爱补贴标准' }).click();
    await expect.poll(() => page.locator('table.list').textContent()).toContain('¥30.00');
    await page.getByLabel('起始月份').fill('2099-01');
    await page.getByLabel('适用地区代码').fill('511702');
    await page.getByLabel('关爱补贴（元/月）').fill('40');
    await page.getByLabel('护理补贴提标（元/月）').fill('15');
    await page.getByRole('button', { name: '新增标准' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已新增：自 2099年1月 起');
    await expect.poll(() => page.locator('table.list tbody tr').first().textContent()).toContain('¥40.00');
    await page.context().close();
  });

  it('the backups: the newest automatic one, how many are kept, and one to download now', async () => {
    const page = await personPage(browser, service.baseUrl, admin);
    await page.getByRole('link', { name: '备份' }).click();
    const facts = page.getByTestId('backup-facts');
    await expect.poll(() => facts.textContent(), { timeout: 20_000 }).toMatch(/rehab-backup-\d{8}-\d{6}\.tar\.gz/);
    expect(await facts.textContent()).toContain('保留最近 14 份');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '立即下载一份备份' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^rehab-backup-\d{8}-\d{6}\.tar\.gz$/);
    await page.context().close();
  });
});
