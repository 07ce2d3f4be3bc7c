import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { api, credentialHeaders, freePort, signUp, type Credential } from '../reliability/service.js';
import { CHROMIUM } from './globalSetup.js';

// The service as a newcomer starts it (the built dist/src/main.js on the embedded database in a
// fresh data directory), Debian's Chromium driven by playwright-core, and the API calls that set
// up what a test needs before a person signs in.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test/e2e/screenshots');

/** A person of a test: how they sign in (console) and their credential for the API (setting the scene). */
export interface Person {
  id: string;
  username: string;
  password: string;
  credential: Credential;
}

export class Service {
  /** `env` adds to or overrides the service's environment (REQUIRE_SECOND_FACTOR, SESSION_IDLE_MINUTES…). */
  constructor(private readonly env: Record<string, string> = {}) {}
  private child: ChildProcess | null = null;
  /** The embedded database's folder: a test may seed it (the demo county) before start(). */
  readonly dataDir = mkdtempSync(path.join(tmpdir(), 'rehab-e2e-'));
  output = '';
  baseUrl = '';

  async start() {
    const port = await freePort();
    this.baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: '',
        DATA_DIR: path.join(this.dataDir, 'data'),
        // The key beside the data folder, never in it (security.md §5).
        DATA_KEY_FILE: path.join(this.dataDir, 'keys', 'data.key'),
        BACKUP_DIR: path.join(this.dataDir, 'backups'),
        PORT: String(port),
        HOST: '127.0.0.1',
        BOOTSTRAP_ADMIN_TOKEN: E2E_ADMIN_TOKEN,
        // The console's suites sign in without a second factor unless a test asks for one.
        REQUIRE_SECOND_FACTOR: 'none',
        LOG_LEVEL: 'warn',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk) => (this.output += chunk));
    child.stderr!.on('data', (chunk) => (this.output += chunk));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`service exited at start: ${this.output.slice(-2000)}`);
      try {
        if ((await fetch(`${this.baseUrl}/healthz`)).status === 200) return;
      } catch {
        // Not listening yet.
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`service did not become healthy: ${this.output.slice(-2000)}`);
  }

  async stop() {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** An API call as a person (their session or API token) or with a token, failing the test on an unexpected status. */
  async call<T = any>(who: Credential | Person, method: string, url: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const credential = typeof who === 'object' && 'credential' in who ? who.credential : who;
    const response = await fetch(`${this.baseUrl}/api/v1${url}`, {
      method,
      headers: { ...credentialHeaders(credential, method), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!expected.includes(response.status)) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(answer)}`);
    return answer as T;
  }
}

/**
 * A person's account, made as an office makes one: created (by the bootstrap admin unless told),
 * activated with a password, signed in; an institution's system holds an API token.
 */
export async function account(service: Service, body: Record<string, unknown>, creator: Credential = E2E_ADMIN_TOKEN): Promise<Person> {
  const made = await signUp(service.baseUrl, api(service.baseUrl, creator), body);
  return { id: made.id, username: made.username, password: made.password, credential: made.credential };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Without the background-networking flags Chromium keeps trying Google's hosts, which this
    // machine's closed network refuses. Playwright gives every launch a fresh profile.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in through the sign-in page with username and password (and a code), as a person would. */
export async function signIn(page: Page, baseUrl: string, person: { username: string; password: string }, otp?: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('用户名').fill(person.username);
  await page.getByLabel('密码').fill(person.password);
  if (otp) await page.getByLabel('动态验证码').fill(otp);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

/** A page of its own browser context (downloads allowed, China's locale and time), `person` signed in through the sign-in page; 1280×720 unless told. */
export async function personPage(browser: Browser, baseUrl: string, person: { username: string; password: string }, viewport = { width: 1280, height: 720 }): Promise<Page> {
  const context = await browser.newContext({ acceptDownloads: true, viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  // A step that cannot happen fails within 15 s, naming the step, rather than at the test's timeout.
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, person);
  return page;
}

/** An institution of region 511702 designated by the bootstrap admin for a test's scene. */
export async function designate(service: Service, code: string, services: string[]): Promise<{ id: string; name: string; code: string }> {
  return service.call(E2E_ADMIN_TOKEN, 'POST', '/institutions', {
    code,
    name: '阳光儿童康复中心',
    regionCode: '511702',
    services,
    bankAccount: { bank: '中国农业银行', accountName: '阳光儿童康复中心', accountNumber: `62284800000000${code.replace(/\D/g, '').padStart(5, '0')}` },
  });
}

/** 1 March of the year `ageThisYear` years before this one: a birth date for a child of that age. */
/** Today in China (YYYY-MM-DD), or `offsetDays` from it: the date the service's rules read. */
export const chinaDate = (offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offsetDays * 86_400_000));

export function bornYearsAgo(ageThisYear: number): string {
  return `${new Date().getFullYear() - ageThisYear}-03-01`;
}

/** Opens a page from the side menu by its exact name (a list's filter tab, or another programme's entry, may hold the same words). */
export const menu = (page: Page, name: string) => page.getByRole('navigation', { name: '功能' }).getByRole('link', { name, exact: true }).click();

/** Whether a page fits its window's width (nothing scrolls sideways). */
export const fitsWidth = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth <= (globalThis as unknown as { innerWidth: number }).innerWidth);

/** A whole-page screenshot into test/e2e/screenshots/ (not kept in git). */
export async function screenshot(page: Page, name: string) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
