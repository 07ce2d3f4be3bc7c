import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, designate, E2E_ADMIN_TOKEN, launchChromium, personPage, Service, type Person } from './browser.js';

// Issue 27, point 4: evidence on claims in the console. The institution sends its files with the
// claim and adds them to a returned claim; the reviewer sees what is missing (approval waits for
// it) and opens the files; the institution opens them too.

const REGION = '511702';
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const service = new Service();
let browser: Browser;
const people = {} as Record<'reviewer' | 'institution', Person>;
let child: { id: string; idNumber: string };
let secondChild: { id: string; idNumber: string };

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0e2c5d80000000049454e44ae426082', 'hex');

/** Chooses a kind and a file in an evidence picker, as a clerk does. */
async function pick(scope: Page | Locator, kind: string, name: string, buffer: Buffer, mimeType: string) {
  const picker = scope.locator('.evidence-picker').first();
  await picker.getByLabel('材料类别').selectOption({ label: kind });
  await picker.locator('input[type=file]').setInputFiles({ name, mimeType, buffer });
}

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const institution = await designate(service, 'JG-200', ['training']);
  people.institution = await account(service, { name: '李会计', role: 'institution', institutionId: institution.id });
  people.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
  await service.call(E2E_ADMIN_TOKEN, 'PUT', `/regions/${REGION}/settings`, { requiredEvidence: { training: ['attendance', 'invoice'] } });
  const referred = async (name: string) => {
    const registered = await service.call(people.reviewer, 'POST', '/children', {
      idNumber: idNumber(REGION, bornYearsAgo(5)),
      name,
      regionCode: REGION,
      category: 'speech',
      guardian: { name: '周大山', relation: 'father', phone: '13800000000' },
    });
    const application = await service.call(people.reviewer, 'POST', '/applications', { childId: registered.id, year: Number(YEAR), services: ['training'], institutionId: institution.id });
    await service.call(people.reviewer, 'POST', `/applications/${application.id}/approve`);
    return registered;
  };
  child = await referred('周小明');
  secondChild = await referred('周小红');
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('evidence on claims in the console', () => {
  it('the claim form says what the region requires and sends the chosen files with the claim', async () => {
    const page = await personPage(browser, service.baseUrl, people.institution);
    await page.getByRole('link', { name: '新建申报' }).click();
    await page.getByLabel('结算申请号').fill('ZJ-0001');
    await page.getByLabel('儿童身份证号').fill(child.idNumber);
    await expect.poll(() => page.getByTestId('child-found').textContent()).toContain('周小明');
    await page.getByLabel('开始月份').fill(`${YEAR}-01`);
    await page.getByLabel('结束月份').fill(`${YEAR}-01`);
    await page.getByLabel('总费用（元）').fill('1000');
    await expect.poll(() => page.getByTestId('required-evidence').textContent()).toContain('训练考勤（未选）、发票（未选）');
    // A Word file named .docx is refused in the page before anything is sent.
    await pick(page, '其他材料', '说明.docx', Buffer.from('PK\u0003\u0004'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    await expect.poll(() => page.getByTestId('claim-evidence').getByRole('alert').textContent()).toContain('不是 PDF、JPG 或 PNG 文件');
    await pick(page, '训练考勤（本地区要求）', '一月考勤.pdf', PDF, 'application/pdf');
    await pick(page, '发票（本地区要求）', '发票.png', PNG, 'image/png');
    await expect.poll(() => page.getByTestId('required-evidence').textContent()).toContain('训练考勤（已选）、发票（已选）');
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('申报已提交');
    const panel = page.getByTestId('evidence');
    await expect.poll(() => panel.textContent()).toContain('一月考勤.pdf');
    expect(await panel.textContent()).toContain('发票.png');
    expect(await page.getByTestId('evidence-missing').count()).toBe(0);
    const claims = await service.call(people.institution, 'GET', '/claims?externalRef=ZJ-0001');
    expect(claims.items[0].evidenceMissing).toEqual([]);
    // The institution opens its own file.
    const download = page.waitForEvent('download');
    await panel.locator('li').filter({ hasText: '一月考勤.pdf' }).getByRole('button', { name: '下载' }).click();
    expect((await download).suggestedFilename()).toBe('一月考勤.pdf');
    await page.context().close();
  });

  it('a claim without its files cannot be approved; the reviewer returns it, the institution adds them, the reviewer opens them and approves', async () => {
    const { id } = await service.call(people.institution, 'POST', '/claims', {
      externalRef: 'ZJ-0002',
      childId: secondChild.id,
      service: 'training',
      periodFrom: `${YEAR}-01`,
      periodTo: `${YEAR}-01`,
      grossCost: '1200',
      reviewedBy: '李会计',
    });
    const reviewer = await personPage(browser, service.baseUrl, people.reviewer);
    await reviewer.goto(`${service.baseUrl}/#/claims/${id}`);
    await expect.poll(() => reviewer.getByTestId('evidence-missing').textContent()).toContain('训练考勤、发票');
    expect(await reviewer.getByTestId('evidence-missing').textContent()).toContain('补齐前不能批准');
    expect(await reviewer.getByRole('button', { name: /^批准/ }).isDisabled()).toBe(true);
    await reviewer.getByRole('button', { name: '退回修改' }).click();
    await reviewer.getByLabel('退回原因（机构据此修改）').fill('缺少训练记录签字和发票');
    await reviewer.getByRole('button', { name: '确认退回' }).click();
    await expect.poll(async () => (await service.call(people.reviewer, 'GET', `/claims/${id}`)).status).toBe('returned');

    const institution = await personPage(browser, service.baseUrl, people.institution);
    await institution.goto(`${service.baseUrl}/#/claims/${id}/edit`);
    const panel = institution.getByTestId('evidence');
    await expect.poll(() => panel.getByTestId('evidence-missing').textContent()).toContain('训练考勤、发票');
    await pick(panel, '训练考勤（本地区要求）', '二月考勤（签字）.pdf', PDF, 'application/pdf');
    await expect.poll(() => panel.textContent()).toContain('二月考勤（签字）.pdf');
    await pick(panel, '发票（本地区要求）', '二月发票.pdf', PDF, 'application/pdf');
    await expect.poll(() => panel.getByTestId('evidence-missing').count()).toBe(0);
    await institution.getByLabel('总费用（元）').fill('1200');
    await expect.poll(() => institution.getByTestId('preview').textContent(), { timeout: 10_000 }).toContain('应付救助金额');
    await institution.getByRole('button', { name: '修改后重新提交' }).click();
    await expect.poll(() => institution.getByRole('status').first().textContent()).toContain('重新提交');
    await institution.context().close();

    // The return took the reviewer back to the queue: open the claim again, as it stands now.
    await reviewer.goto(`${service.baseUrl}/#/claims/${id}`);
    await reviewer.reload();
    const files = reviewer.getByTestId('evidence');
    await expect.poll(() => files.textContent()).toContain('二月考勤（签字）.pdf');
    // 查看 opens the scan in a new tab of the browser.
    const popup = reviewer.waitForEvent('popup');
    await files.locator('li').filter({ hasText: '二月考勤（签字）.pdf' }).getByRole('button', { name: '查看' }).click();
    expect((await popup).url()).toMatch(/^blob:/);
    // The reviewer cannot remove the institution's files.
    expect(await files.getByRole('button', { name: '删除' }).count()).toBe(0);
    await expect.poll(() => reviewer.getByRole('button', { name: /^批准/ }).isDisabled()).toBe(false);
    await reviewer.getByRole('button', { name: /^批准/ }).click();
    await reviewer.getByTestId('approve-confirm').getByRole('button', { name: /^确认批准/ }).click();
    await expect.poll(async () => (await service.call(people.reviewer, 'GET', `/claims/${id}`)).status).toBe('approved');
    await reviewer.context().close();
  });
});
