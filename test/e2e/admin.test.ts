import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_TOKEN, launchChromium, Service, signIn } from './browser.js';

// Issue 15, point 12 and 14: a lost token is not a dead end. The admin disables and enables users,
// issues a new token (shown once; on a plain-http address it is selected for Ctrl+C, since no
// clipboard API is given there), and changes an institution.

const service = new Service();
let browser: Browser;
let adminToken = '';
/** A second admin: confirms the changes of bank account the first asks for (security.md §2). */
let secondAdminToken = '';

async function adminPage(options: { withoutClipboard?: boolean; token?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  // A plain-http intranet address is not a secure context: the browser gives no clipboard API.
  if (options.withoutClipboard) await context.addInitScript(() => Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'clipboard', { value: undefined }));
  const page = await context.newPage();
  await signIn(page, service.baseUrl, options.token ?? adminToken);
  return page;
}

async function status(token: string): Promise<number> {
  return (await fetch(`${service.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  adminToken = (await service.call(E2E_ADMIN_TOKEN, 'POST', '/users', { name: '县残联管理员', role: 'admin' })).token;
  secondAdminToken = (await service.call(adminToken, 'POST', '/users', { name: '县残联复核管理员', role: 'admin' })).token;
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('managing accounts in the console', () => {
  it('the admin disables a user (its token answers 401) and enables it again, each after confirming', async () => {
    const reviewer = await service.call(adminToken, 'POST', '/users', { name: '孙审核', role: 'reviewer', regionCode: '511702' });
    const page = await adminPage();
    await page.getByRole('link', { name: '用户' }).click();
    const row = page.getByRole('row', { name: /孙审核/ });
    await row.getByRole('button', { name: '停用' }).click();
    expect(await status(reviewer.token)).toBe(200);
    await row.getByRole('button', { name: '确认停用' }).click();
    await row.getByText('已停用').waitFor();
    expect(await status(reviewer.token)).toBe(401);
    await row.getByRole('button', { name: '启用' }).click();
    await row.getByRole('button', { name: '确认启用' }).click();
    await row.getByText('正常').waitFor();
    expect(await status(reviewer.token)).toBe(200);
    await page.context().close();
  });

  it('a new token for a user who lost theirs: shown once, the old one stops; on plain http 复制令牌 selects it and says to press Ctrl+C', async () => {
    const finance = await service.call(adminToken, 'POST', '/users', { name: '钱出纳', role: 'finance', regionCode: '511702' });
    const page = await adminPage({ withoutClipboard: true });
    await page.getByRole('link', { name: '用户' }).click();
    const row = page.getByRole('row', { name: /钱出纳/ });
    await row.getByRole('button', { name: '重新发放令牌' }).click();
    await row.getByRole('button', { name: '确认重新发放令牌' }).click();
    const shown = page.getByTestId('new-token');
    await shown.waitFor();
    const token = (await shown.locator('code.token').textContent())!.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(await status(finance.token)).toBe(401);
    expect(await status(token)).toBe(200);
    await shown.getByRole('button', { name: '复制令牌' }).click();
    await expect.poll(() => page.getByTestId('copy-note').textContent()).toContain('请按 Ctrl+C');
    expect(await page.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()))).toBe(token);
    await shown.getByRole('button', { name: '已交付，隐藏令牌' }).click();
    expect(await page.getByTestId('new-token').count()).toBe(0);
    await page.context().close();
  });

  it('the admin changes an institution’s name, and asks for a new bank account (written in groups) that a second admin confirms; the audit keeps the old values, the account masked', async () => {
    const institution = await service.call(adminToken, 'POST', '/institutions', {
      code: 'JG-900',
      name: '旧名称康复中心',
      regionCode: '511702',
      services: ['training'],
      bankAccount: { bank: '中国农业银行', accountName: '旧名称康复中心', accountNumber: '6228480000000000900' },
    });
    const page = await adminPage();
    await page.getByRole('link', { name: '定点机构' }).click();
    await page.getByRole('row', { name: /JG-900/ }).getByRole('button', { name: '修改' }).click();
    await page.getByLabel('机构名称').fill('新名称康复中心');
    await page.getByLabel('银行账号').fill('6222 0000 1111 2222');
    await page.getByRole('checkbox', { name: '早期干预' }).check();
    await page.getByRole('button', { name: '保存修改' }).click();
    await page.getByText(/已保存 新名称康复中心 的修改。收款账户的变更须由另一位管理员确认/).waitFor();
    const row = page.getByRole('row', { name: /JG-900/ });
    // The name and services change at once; payments keep the old account until a second admin confirms.
    await expect.poll(() => row.textContent()).toContain('新名称康复中心');
    expect(await row.textContent()).toContain('早期干预');
    expect(await row.getByTestId('pending-account').textContent()).toContain('6222000011112222');
    expect(await row.getByTestId('pending-account').textContent()).toContain('须由另一位管理员确认');
    expect((await service.call(adminToken, 'GET', `/institutions/${institution.id}`)).bankAccount.accountNumber).toBe('6228480000000000900');
    await page.context().close();

    const second = await adminPage({ token: secondAdminToken });
    await second.getByRole('link', { name: '定点机构' }).click();
    await second.getByRole('row', { name: /JG-900/ }).getByRole('button', { name: '确认变更' }).click();
    await second.getByText(/收款账户已变更为 中国农业银行 6222000011112222/).waitFor();
    await expect.poll(() => second.getByRole('row', { name: /JG-900/ }).getByTestId('pending-account').count()).toBe(0);
    await second.context().close();

    const audit = await service.call(adminToken, 'GET', `/audit?entityId=${institution.id}`);
    const byAction = Object.fromEntries(audit.items.map((item: { action: string; data: Record<string, any> }) => [item.action, item.data]));
    expect(byAction['institution.updated'].before).toMatchObject({ name: '旧名称康复中心' });
    expect(byAction['bank_account.confirmed'].before).toMatchObject({ accountNumber: '622************0900' });
    expect(JSON.stringify(audit.items)).not.toContain('6228480000000000900');
  });

  it('a tab opened by Ctrl-click is signed in; signing out in one tab signs out both; with every tab closed the token is gone', async () => {
    const page = await adminPage();
    const context = page.context();
    const [opened] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: '定点机构' }).click({ modifiers: ['Control'] })]);
    await opened.getByRole('heading', { name: '定点康复机构' }).waitFor();
    expect(await opened.getByTestId('who').textContent()).toContain('县残联管理员');
    await page.getByRole('button', { name: '退出登录' }).click();
    await opened.getByLabel('登录令牌').waitFor();
    // Signed in again, then every tab closed: a new tab asks for the token.
    await signIn(page, service.baseUrl, adminToken);
    await opened.close();
    await page.close();
    const fresh = await context.newPage();
    await fresh.goto(`${service.baseUrl}/`);
    await fresh.getByLabel('登录令牌').waitFor();
    await context.close();
  });

  it('regions read as names: the users and institutions lists say 通川区, and typing a code in a form names it', async () => {
    await service.call(adminToken, 'POST', '/users', { name: '周审核', role: 'reviewer', regionCode: '511702' });
    const page = await adminPage();
    await page.getByRole('link', { name: '用户' }).click();
    await expect.poll(() => page.getByRole('row', { name: /周审核/ }).textContent()).toContain('通川区（511702）');
    await page.getByLabel('角色').selectOption('finance');
    await page.getByLabel('地区代码').fill('511781');
    await expect.poll(() => page.getByTestId('region-name').textContent()).toBe('万源市');
    await page.getByRole('link', { name: '定点机构' }).click();
    await expect.poll(() => page.getByRole('row', { name: /JG-900/ }).textContent()).toContain('通川区（511702）');
    await page.context().close();
  });

  it('a new policy version is a form in Chinese, one card per rule, starting from the version in force', async () => {
    const inForce = await service.call(adminToken, 'GET', '/policies/in-force?regionCode=511781&date=2026-01-01');
    const page = await adminPage();
    await page.getByRole('link', { name: '救助标准' }).click();
    await expect.poll(() => page.getByTestId('policy-base').textContent()).toContain(inForce.name);
    const cards = page.getByTestId('policy-rule');
    await expect.poll(() => cards.count()).toBe(inForce.rules.length);
    const training = cards.filter({ has: page.locator('select', { hasText: '康复训练' }) }).first();
    const trainingIndex = inForce.rules.findIndex((rule: { service: string }) => rule.service === 'training');
    expect(await cards.nth(trainingIndex).getByLabel('每年限额（元）').inputValue()).toBe(inForce.rules[trainingIndex].annualLimit);
    await cards.nth(trainingIndex).getByLabel('每年限额（元）').fill('18000');
    await page.getByLabel('名称').fill('万源市提标');
    await page.getByLabel('生效日期').fill('2099-01-01');
    await page.getByLabel('适用地区代码').fill('511781');
    await page.getByRole('button', { name: '新建版本' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已新建「万源市提标」');
    const created = await service.call(adminToken, 'GET', '/policies/in-force?regionCode=511781&date=2099-01-02');
    expect(created.name).toBe('万源市提标');
    expect(created.rules.map((rule: { service: string; annualLimit: string | null }) => [rule.service, rule.annualLimit])).toEqual(
      inForce.rules.map((rule: { service: string; annualLimit: string | null }, index: number) => [rule.service, index === trainingIndex ? '18000.00' : rule.annualLimit]),
    );
    expect(await training.count()).toBeGreaterThan(0);
    await page.context().close();
  });
});
