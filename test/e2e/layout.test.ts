import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { loadKeyFile } from '../../src/keys/serviceKeys.js';
import { seedDemoCounty, type DemoAccount, type DemoAccounts } from '../../src/demo/demoCounty.js';
import { signInOverHttp, type Credential } from '../reliability/service.js';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { launchChromium, personPage, SCREENSHOTS, Service } from './browser.js';

// Issue 27, point 9: every page of every role fits 1280, 1366 and 390 px without scrolling sideways,
// on the demo county with its longest values (a 64-character 结算申请号, a ten-character name, the
// longest device name); the review queue keeps its figures in view at 1366, a phone shows the
// children's remaining entitlement and the user's name on one line; guardians read in Chinese.

const WIDTHS = [
  [1280, 720],
  [1366, 768],
  [390, 844],
] as const;

const service = new Service();
let browser: Browser;
let accounts: DemoAccounts;
const credentials = new Map<DemoAccount, Credential>();

async function credentialOf(who: DemoAccount): Promise<Credential> {
  let credential = credentials.get(who);
  if (!credential) credentials.set(who, (credential = await signInOverHttp(service.baseUrl, who.username, who.password)));
  return credential;
}

async function get<T = any>(who: DemoAccount, url: string): Promise<T> {
  const credential = await credentialOf(who);
  const response = await fetch(`${service.baseUrl}/api/v1${url}`, { headers: { cookie: `rehab_session=${(credential as { cookie: string }).cookie}` } });
  if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}`);
  return response.json() as Promise<T>;
}

/**
 * The demo's basic-living rolls (src/demo/demoBasicLiving.ts): an issued one built by one civil
 * affairs clerk and issued by the other, and this month's draft with its held case.
 */
async function basicLivingRolls(): Promise<{ issued: { id: string } | null; draft: { id: string } | null }> {
  const rolls = (await service.call(await credentialOf(accounts.civilAffairs), 'GET', '/protection/rolls?limit=20')).items as { id: string; status: string; month: string }[];
  const newestFirst = [...rolls].sort((a, b) => (a.month < b.month ? 1 : -1));
  return { issued: newestFirst.find((roll) => roll.status === 'issued' || roll.status === 'settled') ?? null, draft: newestFirst.find((roll) => roll.status === 'draft') ?? null };
}

beforeAll(async () => {
  // The demo county, seeded through the service's own API into the folder the service then opens.
  const database = await openDatabase({ dataDir: path.join(service.dataDir, 'data') });
  try {
    // Seeded with the key the service then serves with, as npm run demo does.
    const keyFile = path.join(service.dataDir, 'keys', 'data.key');
    mkdirSync(path.dirname(keyFile), { recursive: true });
    accounts = await seedDemoCounty(database.db, new Date(), { keyring: loadKeyFile({ path: keyFile, create: true }).keyring });
  } finally {
    await database.close();
  }
  await service.start();
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await service.stop();
});

async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

const pageAt = (who: DemoAccount, width: number, height: number) => personPage(browser, service.baseUrl, who, { width, height });

/** How far a page reaches past the window, and its widest elements (named in a failure). */
async function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; culprits: string }> {
  return page.evaluate(() => {
    interface Node { tagName: string; className: string; textContent: string | null; getBoundingClientRect(): { right: number }; children: ArrayLike<Node> }
    const window = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number }; querySelectorAll(selector: string): ArrayLike<Node> } };
    const wide = Array.from(window.document.querySelectorAll('body *'))
      .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((element) => !Array.from(element.children).some((child) => child.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 4)
      .map((element) => `${element.tagName.toLowerCase()}.${String(element.className).replace(/ /g, '.')}「${(element.textContent ?? '').slice(0, 20)}」`);
    return { scrollWidth: window.document.documentElement.scrollWidth, innerWidth: window.innerWidth, culprits: wide.join(' ') };
  });
}

describe('the console on the demo county', () => {
  it('every page of every role fits 1280, 1366 and 390 px without scrolling sideways', async () => {
    const institution = accounts.institutions[0]!;
    const longClaim = (await get(institution, '/claims?limit=500')).items.find((claim: { externalRef: string }) => claim.externalRef.length === 64);
    expect(longClaim, 'the demo holds a claim with a 64-character reference').toBeDefined();
    const returned = (await get(institution, '/claims?status=returned&limit=5')).items[0];
    const deviceClaim = (await get(accounts.reviewer, '/claims?limit=500')).items.find((claim: { deviceKind: string | null }) => claim.deviceKind === 'mobility_aid') ?? longClaim;
    const longChild = (await get(accounts.reviewer, '/children?q=阿卜杜热合曼')).items[0];
    const batch = (await get(accounts.reviewer, '/batches?limit=5')).items[0];
    const reconciliation = (await get(institution, '/reconciliations?limit=5')).items[0];
    const policy = (await get(accounts.reviewer, '/policies?limit=1')).items[0];
    const beneficiary = (await get(accounts.civilAffairs, '/allowance/beneficiaries?limit=1')).items[0];
    const roll = (await get(accounts.civilAffairs, '/allowance/rolls?limit=5')).items[0];
    const visitCase = (await get(accounts.protection.townships[0]!, '/protection/cases?status=recognised&limit=1')).items[0];
    const basicLiving = await basicLivingRolls();
    expect(basicLiving.issued, 'the demo county pays basic-living money last month').not.toBeNull();
    const basicLivingPages = ['/protection/rolls', ...[basicLiving.issued, basicLiving.draft].flatMap((roll) => (roll ? [`/protection/rolls/${roll.id}`] : [])), '/protection/overpayments', '/protection/payments'];
    const pages: [DemoAccount, string[]][] = [
      [
        institution,
        // The claim form also with a child chosen: its preview and the child's entitlements beside it.
        [
          '/children',
          `/children/${longClaim.childId}`,
          '/claims/new',
          `/claims/new?childId=${deviceClaim.childId}`,
          '/claims/upload',
          '/claims',
          `/claims/${longClaim.id}`,
          ...(returned ? [`/claims/${returned.id}`, `/claims/${returned.id}/edit`] : []),
          '/batches',
          '/reconciliation',
          `/reconciliation/${reconciliation.id}`,
          '/applications',
          '/account',
        ],
      ],
      [
        accounts.reviewer,
        [
          '/review',
          '/claims',
          `/claims/${longClaim.id}`,
          `/claims/${deviceClaim.id}`,
          '/children',
          `/children/${longChild.id}`,
          '/children/new',
          '/applications',
          '/batches',
          `/batches/${batch.id}`,
          '/dashboard',
          '/reconciliation',
          '/policies',
          `/policies/${policy.id}`,
          '/allowance/beneficiaries',
          `/allowance/beneficiaries/${beneficiary.id}`,
          '/allowance/rolls',
          `/allowance/rolls/${roll.id}`,
        ],
      ],
      [
        accounts.finance,
        ['/batches', '/paid', `/batches/${batch.id}`, '/allowance/beneficiaries', `/allowance/beneficiaries/${beneficiary.id}`, '/allowance/rolls', `/allowance/rolls/${roll.id}`, '/allowance/stats'],
      ],
      [accounts.auditor, ['/audit', '/access-log']],
      [accounts.civilAffairs, ['/allowance/beneficiaries', `/allowance/beneficiaries/${beneficiary.id}`, '/allowance/rolls', `/allowance/rolls/${roll.id}`, '/allowance/overpayments', '/allowance/stats']],
      [accounts.protection.townships[0]!, ['/protection/visits', `/protection/visits/new?caseId=${visitCase.id}`, '/protection/reports']],
      [accounts.civilAffairs, ['/protection/visits', '/protection/reports', '/protection/reports?status=all', ...basicLivingPages]],
      [accounts.finance, ['/protection/rolls', `/protection/rolls/${basicLiving.issued!.id}`, '/protection/payments']],
      [accounts.admin, ['/institutions', '/users', '/policies', `/policies/${policy.id}`, '/regions?code=511702', '/calendar', '/standards', '/backups']],
    ];
    const overflowing: string[] = [];
    for (const [width, height] of WIDTHS) {
      for (const [who, paths] of pages) {
        const page = await pageAt(who, width, height);
        for (const path of paths) {
          await page.goto(`${service.baseUrl}/#${path}`);
          await page.locator('main.content h1').first().waitFor();
          await page.waitForLoadState('networkidle');
          const measured = await overflow(page);
          if (measured.scrollWidth > measured.innerWidth) overflowing.push(`${who.username} ${path} at ${width}: ${measured.scrollWidth} > ${measured.innerWidth} (${measured.culprits})`);
        }
        await page.context().close();
      }
    }
    expect(overflowing).toEqual([]);
    // Some sixty pages at three widths on two shared cores.
  }, 300_000);

  it('an open mandatory report past the region’s hours is flagged on every civil affairs screen, not only one page (protection.md §9)', async () => {
    const page = await pageAt(accounts.civilAffairs, 1280, 720);
    for (const path of ['/allowance/beneficiaries', '/allowance/rolls', '/allowance/stats', '/protection/cases', '/protection/notices', '/protection/quarterly', '/protection/visits', '/account']) {
      await page.goto(`${service.baseUrl}/#${path}`);
      await page.locator('main.content h1').first().waitFor();
      const banner = page.getByTestId('overdue-reports');
      await banner.waitFor();
      expect(await banner.textContent(), path).toContain('1 份强制报告超时未确认处理');
    }
    await page.getByTestId('overdue-reports').getByRole('link', { name: '立即处理' }).click();
    await page.getByTestId('reports').locator('tbody tr .tag-overdue').first().waitFor();
    await screenshot(page, 'layout-overdue-report-1280');
    await page.context().close();
    // Nobody else's screens carry it: the township's clerk reads the reports of its own township on their page.
    const township = await pageAt(accounts.protection.townships[0]!, 1280, 720);
    await township.goto(`${service.baseUrl}/#/protection/visits`);
    await township.locator('main.content h1').first().waitFor();
    await township.waitForLoadState('networkidle');
    expect(await township.getByTestId('overdue-reports').count()).toBe(0);
    await township.context().close();
  });

  it('the forms a page opens fit too: corrections, certificate and closing of a child, the bulk approval’s check, the allowance report, the evidence of a returned claim', async () => {
    const longChild = (await get(accounts.reviewer, '/children?q=阿卜杜热合曼')).items[0];
    const returned = (await get(accounts.institutions[0]!, '/claims?status=returned&limit=5')).items[0];
    const opened: [DemoAccount, string, (page: Page) => Promise<void>][] = [
      [accounts.reviewer, `/children/${longChild.id}`, (page) => page.getByRole('button', { name: '修改姓名或监护人' }).click()],
      [accounts.reviewer, `/children/${longChild.id}`, (page) => page.getByRole('button', { name: /^(补登|更换)残疾证$/ }).click()],
      [accounts.reviewer, `/children/${longChild.id}`, (page) => page.getByTestId('close-child').click()],
      [
        accounts.reviewer,
        '/review',
        async (page) => {
          const boxes = page.locator('table.selectable tbody input[type=checkbox]');
          await boxes.first().waitFor();
          for (let index = 0; index < Math.min(3, await boxes.count()); index++) await boxes.nth(index).check();
          await page.getByTestId('bulk-approval').getByRole('button', { name: '批量批准（先逐条核对金额）' }).click();
          await page.getByTestId('bulk-preview').locator('tbody tr').first().waitFor();
        },
      ],
      [accounts.civilAffairs, '/allowance/beneficiaries', (page) => page.getByRole('button', { name: '报送新对象' }).click()],
      ...(returned ? [[accounts.institutions[0]!, `/claims/${returned.id}/edit`, (page: Page) => page.getByTestId('evidence').waitFor()] as [DemoAccount, string, (page: Page) => Promise<void>]] : []),
    ];
    const overflowing: string[] = [];
    for (const [width, height] of WIDTHS) {
      for (const [who, path, open] of opened) {
        const page = await pageAt(who, width, height);
        await page.goto(`${service.baseUrl}/#${path}`);
        await page.locator('main.content h1').first().waitFor();
        await open(page);
        await page.waitForLoadState('networkidle');
        const measured = await overflow(page);
        if (measured.scrollWidth > measured.innerWidth) overflowing.push(`${who.username} ${path} (opened) at ${width}: ${measured.scrollWidth} > ${measured.innerWidth} (${measured.culprits})`);
        await page.context().close();
      }
    }
    expect(overflowing).toEqual([]);
  });

  it('at 1366 px the review queue keeps 预计, 已等 and 办结期限 in view beside a long device name', async () => {
    const page = await pageAt(accounts.reviewer, 1366, 768);
    await page.locator('table.selectable tbody tr').first().waitFor();
    // In view: inside the list's own box (which scrolls sideways when it must), not only the window's.
    const list = (await page.locator('.queue-list').boundingBox())!;
    for (const header of ['预计', '已等', '办结期限']) {
      const box = (await page.locator('table.selectable thead th').filter({ hasText: header }).boundingBox())!;
      expect(box.x + box.width, header).toBeLessThanOrEqual(list.x + list.width + 1);
      expect(box.width, header).toBeGreaterThan(20);
    }
    await screenshot(page, 'layout-queue-1366');
    await page.context().close();
  });

  it('on a phone the children list shows what is left this year, and the user’s name stays on one line', async () => {
    const page = await pageAt(accounts.institutions[0]!, 390, 844);
    await page.goto(`${service.baseUrl}/#/children`);
    await page.locator('table.list tbody tr').first().waitFor();
    const remaining = page.locator('table.list thead th').filter({ hasText: '剩余救助额度' });
    const box = (await remaining.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const name = (await page.locator('[data-testid=who] .user-name').boundingBox())!;
    // One line of a 15 px font, not one character a line.
    expect(name.height).toBeLessThan(30);
    await screenshot(page, 'layout-children-390');
    await page.context().close();
  });

  it('guardians read in Chinese: no relation code in English on a child’s page', async () => {
    const children = (await get(accounts.reviewer, '/children?limit=8')).items as { id: string; guardian: { relation: string } }[];
    const page = await pageAt(accounts.reviewer, 1280, 720);
    for (const child of children) {
      await page.goto(`${service.baseUrl}/#/children/${child.id}`);
      await page.locator('.facts').waitFor();
      expect(await page.locator('.facts').textContent()).not.toMatch(/grandfather|grandmother|father|mother/);
    }
    expect(new Set(children.map((child) => child.guardian.relation))).toEqual(new Set(['mother', 'father', 'grandmother', 'grandfather']));
    await page.context().close();
  });
});
