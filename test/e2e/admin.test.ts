import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialHeaders, signInOverHttp } from '../reliability/service.js';
import { account, E2E_ADMIN_TOKEN, launchChromium, Service, signIn, type Person } from './browser.js';

// The admin's pages: accounts are disabled, enabled and reset (a new activation code, shown once,
// never a token; once a personal admin has activated, a second admin confirms), institutions
// changed, policies added.

const service = new Service();
let browser: Browser;
let adminToken: Person;
let admin2: Person;

async function adminPage(options: { withoutClipboard?: boolean; as?: Person } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  // A plain-http intranet address is not a secure context: the browser gives no clipboard API.
  if (options.withoutClipboard) await context.addInitScript(() => Object.defineProperty((globalThis as unknown as { navigator: object }).navigator, 'clipboard', { value: undefined }));
  const page = await context.newPage();
  await signIn(page, service.baseUrl, options.as ?? adminToken);
  return page;
}

/** GET /me with a person's session or token: 200 while it works, 401 once it ended. */
async function meStatus(person: Person): Promise<number> {
  return (await fetch(`${service.baseUrl}/api/v1/me`, { headers: credentialHeaders(person.credential) })).status;
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  // Two personal admins, made while the bootstrap token works; the first activation closes it.
  const second = await service.call(E2E_ADMIN_TOKEN, 'POST', '/users', { name: '孙管理', role: 'admin' });
  adminToken = await account(service, { name: '县残联管理员', role: 'admin' });
  const password = 'Kx9#second-admin-pass';
  await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: second.username, activationCode: second.activationCode, password }) });
  admin2 = { id: second.id, username: second.username, password, credential: await signInOverHttp(service.baseUrl, second.username, password) };
});

/** An account opened by the first admin and confirmed by the second, activated and signed in. */
async function confirmedAccount(body: Record<string, unknown>): Promise<Person> {
  const created = await service.call(adminToken, 'POST', '/users', body);
  await service.call(admin2, 'POST', `/users/${created.id}/confirm`);
  const password = 'Kx9#e2e-person-password';
  await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: created.username, activationCode: created.activationCode, password }) });
  return { id: created.id, username: created.username, password, credential: await signInOverHttp(service.baseUrl, created.username, password) };
}

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('managing accounts in the console', () => {
  it('the admin disables a user (every session ends at once) and enables it again, each after confirming; the enabling waits for the second admin and gives no session back', async () => {
    const reviewer = await confirmedAccount({ name: '孙审核', role: 'reviewer', regionCode: '511702' });
    const page = await adminPage();
    await page.getByRole('link', { name: '用户' }).click();
    const row = page.getByRole('row', { name: /孙审核/ });
    await row.getByRole('button', { name: '停用' }).click();
    expect(await meStatus(reviewer)).toBe(200);
    await row.getByRole('button', { name: '确认停用' }).click();
    await row.getByText('已停用').waitFor();
    expect(await meStatus(reviewer)).toBe(401);
    await row.getByRole('button', { name: '启用' }).click();
    await row.getByRole('button', { name: '确认启用' }).click();
    await expect.poll(() => row.textContent()).toContain('待确认启用（县残联管理员 发起）');
    await service.call(admin2, 'POST', `/users/${reviewer.id}/confirm`);
    await page.reload();
    await page.getByRole('link', { name: '用户' }).click();
    await expect.poll(() => page.getByRole('row', { name: /孙审核/ }).textContent()).toContain('正常');
    expect(await meStatus(reviewer)).toBe(401);
    expect((await signInOverHttp(service.baseUrl, reviewer.username, reviewer.password)).cookie).toBeTruthy();
    await page.context().close();
  });

  it('a reset for a user who forgot the password: every session ends at once; a new activation code is shown once, never a token', async () => {
    const finance = await confirmedAccount({ name: '钱出纳', role: 'finance', regionCode: '511702' });
    const page = await adminPage();
    await page.getByRole('link', { name: '用户' }).click();
    const row = page.getByRole('row', { name: /钱出纳/ });
    await row.getByRole('button', { name: '重置密码' }).click();
    await row.getByRole('button', { name: '确认重置密码' }).click();
    const shown = page.getByTestId('activation-code');
    await shown.waitFor();
    const code = (await shown.locator('code.activation-code').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-Z]{12}$/);
    expect(await shown.textContent()).not.toContain('令牌');
    expect(await meStatus(finance)).toBe(401);
    await expect.poll(() => page.getByRole('row', { name: /钱出纳/ }).textContent()).toContain('待确认重置');
    await shown.getByRole('button', { name: '已交付，隐藏激活码' }).click();
    expect(await page.getByTestId('activation-code').count()).toBe(0);
    // Until the second admin confirms, the code does not work.
    const early = await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: finance.username, activationCode: code, password: 'Kx9#after-reset-pass' }) });
    expect(early.status).toBe(401);
    await service.call(admin2, 'POST', `/users/${finance.id}/confirm`);
    const late = await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: finance.username, activationCode: code, password: 'Kx9#after-reset-pass' }) });
    expect(late.status).toBe(200);
    // At the next sign-in the owner sees who reset the account and when.
    const owner = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const ownerPage = await owner.newPage();
    await signIn(ownerPage, service.baseUrl, { username: finance.username, password: 'Kx9#after-reset-pass' });
    await expect.poll(() => ownerPage.getByTestId('reset-notice').textContent()).toContain('由管理员 县残联管理员（经 孙管理 确认）重置');
    await owner.close();
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

    const second = await adminPage({ as: admin2 });
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

  it('a tab opened by Ctrl-click is signed in (one session); signing out in one tab signs out both, and the server refuses the session after', async () => {
    const page = await adminPage();
    const context = page.context();
    const [opened] = await Promise.all([context.waitForEvent('page'), page.getByRole('link', { name: '定点机构' }).click({ modifiers: ['Control'] })]);
    await opened.getByRole('heading', { name: '定点康复机构' }).waitFor();
    expect(await opened.getByTestId('who').textContent()).toContain('县残联管理员');
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: '退出登录' }).click();
    await opened.getByLabel('用户名').waitFor();
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { cookie: `rehab_session=${cookie!.value}` } })).status).toBe(401);
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
    expect(await training.count()).toBeGreaterThan(0);
    await cards.nth(trainingIndex).getByLabel('每年限额（元）').fill('18000');
    await page.getByLabel('名称').fill('万源市提标');
    await page.getByLabel('生效日期').fill('2099-01-01');
    await page.getByLabel('适用地区代码').fill('511781');
    await page.getByRole('button', { name: '新建版本' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('已新建「万源市提标」，须由另一位管理员在该版本页面审核通过后');
    // Not applied until a second admin approves it; its author cannot.
    expect((await service.call(adminToken, 'GET', '/policies/in-force?regionCode=511781&date=2099-01-02')).name).toBe(inForce.name);
    await page.getByRole('link', { name: '万源市提标' }).click();
    await expect.poll(() => page.getByTestId('policy-review').textContent()).toContain('须由另一位管理员审核通过');
    expect(await page.getByRole('button', { name: /审核通过/ }).count()).toBe(0);
    const reviewing = await (await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })).newPage();
    reviewing.context().setDefaultTimeout(15_000);
    await signIn(reviewing, service.baseUrl, admin2);
    await reviewing.getByRole('link', { name: '救助标准' }).click();
    await expect.poll(() => reviewing.getByRole('row', { name: /万源市提标/ }).textContent()).toContain('待另一位管理员审核');
    await reviewing.getByRole('link', { name: '万源市提标' }).click();
    await reviewing.getByRole('button', { name: '审核通过（自 2099年1月1日 起执行）' }).click();
    await expect.poll(() => reviewing.locator('main').textContent()).toContain('已审核，待生效');
    await reviewing.context().close();
    const created = await service.call(adminToken, 'GET', '/policies/in-force?regionCode=511781&date=2099-01-02');
    expect(created.name).toBe('万源市提标');
    expect(created.rules.map((rule: { service: string; annualLimit: string | null }) => [rule.service, rule.annualLimit])).toEqual(
      inForce.rules.map((rule: { service: string; annualLimit: string | null }, index: number) => [rule.service, index === trainingIndex ? '18000.00' : rule.annualLimit]),
    );
    // Not yet in force: the admin withdraws it, saying why; it is never applied.
    await page.reload();
    await page.getByRole('button', { name: '撤回此版本' }).click();
    await page.getByLabel('撤回原因').fill('省里推迟提标');
    await page.getByRole('button', { name: '确认撤回' }).click();
    await expect.poll(() => page.locator('main').textContent()).toContain('撤回原因：省里推迟提标');
    expect((await service.call(adminToken, 'GET', '/policies/in-force?regionCode=511781&date=2099-01-02')).name).toBe(inForce.name);
    await page.context().close();
  });
});
