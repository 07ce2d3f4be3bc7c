import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/auth/totp.js';
import { api, credentialHeaders, signInOverHttp } from '../reliability/service.js';
import { account, E2E_ADMIN_TOKEN, launchChromium, Service, signIn, type Person } from './browser.js';

// Signing in to the console as security.md §1 asks, in Chromium, against the built service with
// REQUIRE_SECOND_FACTOR=admins: the first installation, an admin's second factor (QR code, recovery
// codes), a reviewer's sign-in, lockout and expiry in plain Chinese, the idle warning and sign-out,
// and one's own page (password, sessions, an institution's API tokens).

const service = new Service({ REQUIRE_SECOND_FACTOR: 'admins' });
let browser: Browser;
let reviewer: Person;
let institution: Person;
let person: Person;
let adminSecret = '';

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: '511702' });
  const created = await service.call(E2E_ADMIN_TOKEN, 'POST', '/institutions', {
    code: 'JG-AUTH',
    name: '令牌康复中心',
    regionCode: '511702',
    services: ['training'],
    bankAccount: { bank: '农行', accountName: '令牌康复中心', accountNumber: '6228480000000000777' },
  });
  institution = await account(service, { name: '李会计', role: 'institution', institutionId: created.id });
  person = await account(service, { name: '周审核', role: 'reviewer', regionCode: '511702' });
});
afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('signing in to the console', () => {
  it('first installation: the set-up page takes the bootstrap token once and opens two admin accounts, each with an activation code shown once', async () => {
    const page = await newPage();
    await page.goto(`${service.baseUrl}/`);
    await page.getByRole('link', { name: '初始化与升级' }).click();
    await page.getByLabel('初始化令牌或升级前的令牌').fill(E2E_ADMIN_TOKEN);
    await page.getByRole('button', { name: '继续' }).click();
    for (const [name, username] of [['县残联管理员', 'county.admin'], ['孙管理', 'sun.admin']]) {
      await page.getByLabel('管理员姓名').fill(name!);
      await page.getByLabel('用户名（可不填，由系统生成）').fill(username!);
      await page.getByRole('button', { name: '开设管理员账号' }).click();
      await page.getByTestId('activation-code').filter({ hasText: name! }).waitFor();
    }
    const codes = await page.getByTestId('activation-code').locator('code.activation-code').allTextContents();
    expect(codes).toHaveLength(2);

    // The first admin's first visit: the activation code sets the password.
    await page.goto(`${service.baseUrl}/#/activate`);
    await page.getByLabel('用户名').fill('county.admin');
    await page.getByLabel('激活码').fill(codes[0]!);
    await page.getByLabel('新密码', { exact: true }).fill('short');
    await page.getByLabel('再次输入新密码').fill('short');
    await page.getByRole('button', { name: '设置密码' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('太短：至少需要 10 个字符');
    await page.getByLabel('新密码', { exact: true }).fill('Kx9#county-admin-pass');
    await page.getByLabel('再次输入新密码').fill('Kx9#county-admin-pass');
    await page.getByRole('button', { name: '设置密码' }).click();
    await page.getByLabel('密码', { exact: true }).waitFor();
    // The bootstrap token is closed now.
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` } })).status).toBe(401);
    await fetch(`${service.baseUrl}/api/v1/auth/activate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sun.admin', activationCode: codes[1], password: 'Kx9#sun-admin-pass' }) });
    await page.context().close();
  });

  it('an admin must set up the second factor: a QR code, a code to confirm, then ten recovery codes shown once; then sign-in asks for the code', async () => {
    const page = await newPage();
    await signInWithoutShell(page, 'county.admin', 'Kx9#county-admin-pass');
    await page.getByRole('heading', { name: '请先开启动态验证码' }).waitFor();
    await page.getByRole('button', { name: '开启动态验证码' }).click();
    await page.getByTestId('totp-qr').waitFor();
    expect(await page.getByTestId('totp-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    adminSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
    await page.getByLabel('验证码').fill(totpCode(adminSecret, Date.now()));
    await page.getByRole('button', { name: '确认开启' }).click();
    await page.getByTestId('recovery-codes').waitFor();
    const codes = await page.getByTestId('recovery-codes').locator('code').allTextContents();
    expect(codes).toHaveLength(10);
    await page.getByRole('button', { name: '我已妥善保存恢复码' }).click();
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    await page.getByRole('button', { name: '退出登录' }).click();

    // Without the code, the page says what to type; a recovery code stands in once.
    await page.getByLabel('用户名').fill('county.admin');
    await page.getByLabel('密码', { exact: true }).fill('Kx9#county-admin-pass');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请打开手机上的验证器');
    await signIn(page, service.baseUrl, { username: 'county.admin', password: 'Kx9#county-admin-pass' }, codes[0]);
    expect(await page.getByTestId('who').textContent()).toContain('县残联管理员');
    await page.context().close();
  });

  it('five wrong passwords lock the name on this computer, said in plain Chinese with the time', async () => {
    const page = await newPage();
    await page.goto(`${service.baseUrl}/`);
    for (let attempt = 0; attempt < 5; attempt++) {
      await page.getByLabel('用户名').fill('nobody.here');
      await page.getByLabel('密码', { exact: true }).fill(`wrong-${attempt}`);
      await page.getByRole('button', { name: '登录' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('用户名、密码或验证码不正确');
    }
    await page.getByLabel('用户名').fill('nobody.here');
    await page.getByLabel('密码', { exact: true }).fill('wrong-again');
    await page.getByRole('button', { name: '登录' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/该账号在这台电脑上已被锁定，请在 .+ 之后再试/);
    await page.context().close();
  });

  it('two minutes before the idle timeout the console warns; “继续使用” keeps the session; when it passes the console signs out, and the server refuses the session', async () => {
    const page = await newPage();
    await page.clock.install();
    await signIn(page, service.baseUrl, reviewer);
    await page.waitForLoadState('networkidle');
    await page.clock.fastForward('27:00');
    expect(await page.getByTestId('idle-warning').count()).toBe(0);
    await page.clock.fastForward('01:05');
    await expect.poll(() => page.getByTestId('idle-warning').textContent()).toContain('自动退出登录');
    await page.getByRole('button', { name: '继续使用' }).click();
    await expect.poll(() => page.getByTestId('idle-warning').count()).toBe(0);
    const [cookie] = await page.context().cookies();
    await page.clock.fastForward('28:05');
    await page.getByTestId('idle-warning').waitFor();
    await page.clock.fastForward('02:05');
    await expect.poll(() => page.getByTestId('session-ended').textContent()).toContain('您长时间没有操作');
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { cookie: `rehab_session=${cookie!.value}` } })).status).toBe(401);
    await page.context().close();
  });

  it('a session ended elsewhere (another device ends it) is explained at the next step', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, reviewer);
    const other = api(service.baseUrl, await signInOverHttp(service.baseUrl, reviewer.username, reviewer.password));
    const sessions = await other.get('/api/v1/me/sessions');
    const browserSession = (sessions.body.items as { id: string; current: boolean }[]).find((item) => !item.current)!;
    await other.post('/api/v1/auth/sign-out', {});
    const again = api(service.baseUrl, await signInOverHttp(service.baseUrl, reviewer.username, reviewer.password));
    expect((await fetch(`${service.baseUrl}/api/v1/me/sessions/${browserSession.id}`, { method: 'DELETE', headers: credentialHeaders(again.credential, 'DELETE') })).status).toBe(200);
    await page.getByRole('link', { name: '全部申报' }).click();
    await expect.poll(() => page.getByTestId('session-ended').textContent()).toContain('本次登录已结束');
    await page.context().close();
  });

  it('my account: the password is changed (other sessions end), sessions are listed and ended', async () => {
    const elsewhere = await signInOverHttp(service.baseUrl, person.username, person.password);
    const page = await newPage();
    await signIn(page, service.baseUrl, person);
    await page.getByRole('link', { name: '我的账号' }).click();
    await page.getByRole('heading', { name: '我的账号' }).waitFor();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(3);
    await page.getByTestId('session-row').filter({ hasNot: page.getByText('本次登录') }).first().getByRole('button', { name: '结束此登录' }).click();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
    await page.getByLabel('当前密码').fill(person.password);
    await page.getByLabel('新密码', { exact: true }).fill(person.password);
    await page.getByLabel('再次输入新密码').fill(person.password);
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('不能与最近用过的 5 个密码相同');
    await page.getByLabel('当前密码').fill(person.password);
    await page.getByLabel('新密码', { exact: true }).fill('Kx9#a-new-password');
    await page.getByLabel('再次输入新密码').fill('Kx9#a-new-password');
    await page.getByRole('button', { name: '修改密码' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('密码已修改');
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: credentialHeaders(person.credential) })).status).toBe(401);
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: credentialHeaders(elsewhere) })).status).toBe(401);
    // No API tokens for a reviewer: the page does not offer them.
    expect(await page.getByRole('heading', { name: 'API 令牌' }).count()).toBe(0);
    await page.context().close();
  });

  it('an institution makes an API token for its own system on its page: shown once, works, and is revoked', async () => {
    const page = await newPage();
    await signIn(page, service.baseUrl, institution);
    await page.getByRole('link', { name: '我的账号' }).click();
    await page.getByLabel('令牌名称（用途）').fill('医院信息系统');
    await page.getByRole('button', { name: '生成 API 令牌' }).click();
    const token = (await page.getByTestId('new-api-token').locator('code.token').textContent())!.trim();
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await page.getByRole('button', { name: '已填入对方系统，隐藏令牌' }).click();
    const row = page.getByTestId('token-row').filter({ hasText: '医院信息系统' });
    expect(await row.textContent()).not.toContain(token);
    await row.getByRole('button', { name: '撤销' }).click();
    await expect.poll(() => row.textContent()).toContain('已撤销');
    expect((await fetch(`${service.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await page.context().close();
  });
});

/** Signs in where the console then shows a restricted page (no 退出登录 button in a shell to wait for). */
async function signInWithoutShell(page: Page, username: string, password: string) {
  await page.goto(`${service.baseUrl}/`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}
