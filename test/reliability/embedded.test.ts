import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, freePort, RELIABILITY_ADMIN_TOKEN, ServiceExitedError, ServiceProcess, signInOverHttp, signUp } from './service.js';

// The embedded database as a county office runs it: the built service on a data folder. A second
// start on the same folder is refused while the first serves; a service killed with SIGKILL leaves
// the folder free for the next start, with every acknowledged write in it.

const dataDir = mkdtempSync(join(tmpdir(), 'rehab-embedded-'));
const started: ServiceProcess[] = [];
afterAll(async () => {
  for (const service of started) await service.kill();
  rmSync(dataDir, { recursive: true, force: true });
});

async function embedded(): Promise<ServiceProcess> {
  const service = new ServiceProcess('', await freePort(), { DATA_DIR: dataDir });
  started.push(service);
  return service;
}

let idSequence = 100;
function idNumber(): string {
  const body = `511702201903${String(10 + (idSequence % 18)).padStart(2, '0')}${String(idSequence++).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * weights[index]!, 0);
  return body + '10X98765432'[sum % 11]!;
}

describe('one process per embedded data folder', () => {
  it('a second start on the folder is refused at once, naming the folder and the holder; the first keeps serving', async () => {
    const first = await embedded();
    await first.start();
    try {
      await refusedWhileServing(first);
    } finally {
      await first.stop();
    }
  });

  async function refusedWhileServing(first: ServiceProcess) {
    const second = await embedded();
    const startedAt = Date.now();
    const refusal = await second.start().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ServiceExitedError);
    expect((refusal as ServiceExitedError).exitCode).toBe(3);
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    const output = (refusal as ServiceExitedError).output;
    expect(output).toContain(dataDir);
    expect(output).toMatch(/in use by process \d+/);
    expect(output).toContain(`the service at ${first.baseUrl}/`);
    const admin = api(first.baseUrl, RELIABILITY_ADMIN_TOKEN);
    expect((await admin.get('/api/v1/me')).status).toBe(200);
    // The first says what it did when it started.
    for (const line of ['database: embedded (PGlite) in', 'lock: this process', 'migrations:', 'service ready: open http://127.0.0.1:']) expect(first.output).toContain(line);
  }

  it('after kill -9 the next start takes the folder, and every write answered 201 before the kill is there', async () => {
    const first = await embedded();
    await first.start();
    const admin = api(first.baseUrl, RELIABILITY_ADMIN_TOKEN);
    const reviewer = (await signUp(first.baseUrl, admin, { name: '王审核', role: 'reviewer', regionCode: '511702' })).api;
    const acknowledged: string[] = [];
    // Registrations keep arriving, some in flight when the process is killed.
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const number = idNumber();
        const response = await reviewer.post('/api/v1/children', {
          idNumber: number,
          name: '断电测试',
          regionCode: '511702',
          category: 'hearing',
          guardian: { name: '监护人', relation: 'mother', phone: '13800000000' },
        });
        if (response.status === 201) acknowledged.push(number);
        if (response.status === 0) return;
      }
    })();
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
    await first.kill();
    writing = false;
    await writer;

    const next = await embedded();
    await next.start();
    // The session lives in the database: it survives the kill.
    const reader = api(next.baseUrl, reviewer.credential);
    for (const number of acknowledged) {
      const found = await reader.get(`/api/v1/children?idNumber=${number}`);
      expect(found.body.items.map((child: { idNumber: string }) => child.idNumber), number).toEqual([number]);
    }
    await next.stop();
  });
});

describe('npm run demo', () => {
  it('seeds a county in its own folder (demo-data, never data), prints a username and password per role, warns that no second factor is asked, and serves', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'rehab-demo-'));
    const port = await freePort();
    const demo = spawn(process.execPath, [fileURLToPath(new URL('../../dist/src/demo/demoCommand.js', import.meta.url))], {
      cwd: folder,
      env: { ...process.env, PORT: String(port), DATA_DIR: join(folder, 'data'), BOOTSTRAP_ADMIN_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    demo.stdout.on('data', (chunk) => (output += chunk));
    demo.stderr.on('data', (chunk) => (output += chunk));
    try {
      const deadline = Date.now() + 90_000;
      while (!output.includes('Ctrl-C stops the demo') && Date.now() < deadline && demo.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(output).toContain(`open http://127.0.0.1:${port}/`);
      const printed = /残联审核 reviewer[^\n]*\n\s+用户名 username: (\S+)\s+密码 password: (\S+)/.exec(output);
      expect(printed, output).not.toBeNull();
      expect(output).toContain('REQUIRE_SECOND_FACTOR=none');
      const session = await signInOverHttp(`http://127.0.0.1:${port}`, printed![1]!, printed![2]!);
      const me = await api(`http://127.0.0.1:${port}`, session).get('/api/v1/me');
      expect(me.body).toMatchObject({ role: 'reviewer', regionCode: '511702' });
      expect(existsSync(join(folder, 'demo-data', 'PG_VERSION'))).toBe(true);
      expect(existsSync(join(folder, 'data'))).toBe(false);
    } finally {
      demo.kill('SIGTERM');
      await new Promise((resolve) => demo.once('exit', resolve));
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
