import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from '../reliability/service.js';
import { CHROMIUM } from './globalSetup.js';

// The service as a newcomer starts it (the built dist/src/main.js on the embedded database in a
// fresh data directory), Debian's Chromium driven by playwright-core, and the API calls that set
// up what a test needs before a person signs in.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const E2E_ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test/e2e/screenshots');

export class Service {
  private child: ChildProcess | null = null;
  private dataDir = mkdtempSync(path.join(tmpdir(), 'rehab-e2e-'));
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
        LOG_LEVEL: 'warn',
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

  /** An API call with a token, failing the test on an unexpected status. */
  async call<T = any>(token: string, method: string, url: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const response = await fetch(`${this.baseUrl}/api/v1${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = await response.json();
    if (!expected.includes(response.status)) throw new Error(`${method} ${url} → ${response.status} ${JSON.stringify(answer)}`);
    return answer as T;
  }
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

/** Signs in through the sign-in page, as a person would. */
export async function signIn(page: Page, baseUrl: string, token: string) {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('登录令牌').fill(token);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('button', { name: '退出登录' }).waitFor();
}

/** 1 March of the year `ageThisYear` years before this one: a birth date for a child of that age. */
export function bornYearsAgo(ageThisYear: number): string {
  return `${new Date().getFullYear() - ageThisYear}-03-01`;
}
