import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idNumber } from '../support/testApp.js';
import { account, bornYearsAgo, designate, launchChromium, personPage, Service, type Person } from './browser.js';

// Issue 27, points 1 and 2: approvals show what they pay before they are confirmed. Bulk approval
// lists each claim's amount as the block would pay it, flags zero and reduced amounts with the rule
// that binds, lets the reviewer leave claims out, and lists every claim with its amount after; the
// single approval's confirm step says the same. Cancelling or issuing a batch asks first, naming
// what is lost.

const REGION = '511702';
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
const service = new Service();
let browser: Browser;
const people = {} as Record<'reviewer' | 'reviewer2' | 'institution', Person>;
let institutionId: string;
const claims: Record<'big' | 'reduced' | 'zero', string> = { big: '', reduced: '', zero: '' };

beforeAll(async () => {
  await service.start();
  browser = await launchChromium();
  const institution = await designate(service, 'JG-400', ['device']);
  institutionId = institution.id;
  people.institution = await account(service, { name: '李会计', role: 'institution', institutionId });
  people.reviewer = await account(service, { name: '王审核', role: 'reviewer', regionCode: REGION });
  people.reviewer2 = await account(service, { name: '钱复核', role: 'reviewer', regionCode: REGION });
  const child = await service.call(people.reviewer, 'POST', '/children', {
    idNumber: idNumber(REGION, bornYearsAgo(5)),
    name: '刘小听',
    regionCode: REGION,
    category: 'hearing',
    guardian: { name: '刘大山', relation: 'father', phone: '13800000000' },
  });
  const application = await service.call(people.reviewer, 'POST', '/applications', { childId: child.id, year: Number(YEAR), services: ['device'], institutionId });
  await service.call(people.reviewer, 'POST', `/applications/${application.id}/approve`);
  // Hearing aids: 4,800.00 a year. Each claim alone is estimated in full; together, in this order,
  // the second is cut to 800.00 and the third to 0.00.
  const claim = async (externalRef: string, grossCost: string) =>
    (await service.call(people.institution, 'POST', '/claims', { externalRef, childId: child.id, service: 'device', deviceKind: 'hearing_aid', serviceDate: `${YEAR}-01-05`, grossCost, reviewedBy: '李会计' })).id as string;
  claims.big = await claim('TC-001-00034', '4000');
  claims.reduced = await claim('TC-001-00035', '1000');
  claims.zero = await claim('TC-001-00036', '500');
});

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

describe('approvals say what they pay', () => {
  it('bulk approval lists each amount first, flags the zero and the reduced one with their rule, recomputes when one is left out, then lists every claim with its amount', async () => {
    const page = await personPage(browser, service.baseUrl, people.reviewer, { width: 1366, height: 768 });
    for (const ref of ['TC-001-00034', 'TC-001-00035', 'TC-001-00036']) await page.getByLabel(`选择 ${ref}`).check();
    const bar = page.getByTestId('bulk-approval');
    await bar.getByRole('button', { name: '批量批准（先逐条核对金额）' }).click();
    const preview = bar.getByTestId('bulk-preview');
    const row = (ref: string) => preview.locator('tbody tr').filter({ hasText: ref });
    await expect.poll(() => row('TC-001-00036').textContent()).toContain('¥0.00');
    expect(await row('TC-001-00036').textContent()).toContain('零元批准：本年度救助额度已用完');
    expect(await row('TC-001-00035').textContent()).toContain('¥800.00');
    expect(await row('TC-001-00035').textContent()).toContain('少于提交时预计的 ¥1,000.00：按年度救助标准封顶');
    expect(await row('TC-001-00034').getByTestId('amount-flag').count()).toBe(0);
    expect(await bar.textContent()).toContain('其中 2 条为零元或少于预计');
    await bar.getByRole('button', { name: '确认批准 3 条，合计 ¥4,800.00' }).waitFor();
    // Left out, the first claim gives the second its full amount back: the block is computed again.
    await row('TC-001-00034').getByRole('checkbox').uncheck();
    await expect.poll(() => row('TC-001-00035').textContent()).toContain('¥1,000.00');
    await row('TC-001-00034').getByRole('checkbox').check();
    await expect.poll(() => row('TC-001-00035').textContent()).toContain('¥800.00');
    // The zero one is left out: it stays waiting for review.
    await row('TC-001-00036').getByRole('checkbox').uncheck();
    await expect.poll(() => row('TC-001-00036').textContent()).toContain('本次不批准');
    await bar.getByRole('button', { name: '确认批准 2 条，合计 ¥4,800.00' }).click();
    const outcome = page.getByTestId('bulk-outcome');
    await expect.poll(() => outcome.textContent()).toContain('已批准 2 条，合计 ¥4,800.00；其中 1 条为零元或少于预计');
    const outcomeRows = outcome.locator('tbody tr');
    expect(await outcomeRows.count()).toBe(2);
    expect(await outcomeRows.filter({ hasText: 'TC-001-00034' }).textContent()).toContain('¥4,000.00');
    expect(await outcomeRows.filter({ hasText: 'TC-001-00035' }).textContent()).toContain('¥800.00');
    expect((await service.call(people.reviewer, 'GET', `/claims/${claims.zero}`)).status).toBe('submitted');
    await page.context().close();
  });

  it('the single approval’s confirm step says the amount and flags a zero with its rule', async () => {
    const page = await personPage(browser, service.baseUrl, people.reviewer, { width: 1366, height: 768 });
    await page.locator('table.selectable tbody tr').filter({ hasText: 'TC-001-00036' }).click();
    await page.getByTestId('review-claim').getByRole('button', { name: '批准 ¥0.00' }).click();
    const confirm = page.getByTestId('approve-confirm');
    await expect.poll(() => confirm.textContent()).toContain('将批准 ¥0.00（本年度救助额度已用完）');
    expect(await confirm.textContent()).toContain('零元批准');
    // Nothing is approved until confirmed.
    expect((await service.call(people.reviewer, 'GET', `/claims/${claims.zero}`)).status).toBe('submitted');
    await confirm.getByRole('button', { name: '确认批准 ¥0.00' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('TC-001-00036：已批准 ¥0.00（零元批准：本年度救助额度已用完）');
    await page.context().close();
  });

  it('cancelling and issuing a batch each ask first, naming what is lost', async () => {
    const built = await service.call(people.reviewer, 'POST', '/batches', { institutionId });
    const page = await personPage(browser, service.baseUrl, people.reviewer, { width: 1366, height: 768 });
    await page.goto(`${service.baseUrl}/#/batches/${built.batches[0].id}`);
    await page.getByRole('button', { name: '作废' }).click();
    const confirm = page.getByTestId('batch-confirm');
    await expect.poll(() => confirm.textContent()).toContain(`作废批次 ${built.batches[0].number}：其中 3 条申报（合计 ¥4,800.00）回到「已批准」`);
    expect(await confirm.textContent()).toContain('不再使用');
    await confirm.getByRole('button', { name: '取消' }).click();
    expect((await service.call(people.reviewer, 'GET', `/batches/${built.batches[0].id}`)).status).toBe('draft');
    await page.getByRole('button', { name: '作废' }).click();
    await confirm.getByRole('button', { name: `确认作废 ${built.batches[0].number}` }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('批次已作废');

    // Another reviewer built this one, so this reviewer may issue it (security.md §2).
    const again = await service.call(people.reviewer2, 'POST', '/batches', { institutionId });
    await page.goto(`${service.baseUrl}/#/batches/${again.batches[0].id}`);
    await page.getByRole('button', { name: '核对无误，签发' }).click();
    await expect.poll(() => confirm.textContent()).toContain('不能再修改，也不能再作废');
    await confirm.getByRole('button', { name: `确认签发 ${again.batches[0].number}` }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('批次已签发');
    await page.context().close();
  });
});
