import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';

// main.ts as a real process: configuration errors stop it, the bootstrap admin is created, and
// SIGTERM ends it cleanly. It runs on the database of the vitest project.

const TOKEN = 'process-test-admin-token-0123';
let dataDir: string;
let databaseUrl: string | undefined;
let dropDatabase = async () => {};

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'rehab-main-'));
  if (process.env.TEST_DB === 'postgres') {
    const serverUrl = inject('postgresUrl');
    const name = `main_${randomBytes(6).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    databaseUrl = serverUrl.replace(/\/[^/]*$/, `/${name}`);
    dropDatabase = async () => {
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
  }
});
afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true });
  await dropDatabase();
});

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function startService(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, DATA_DIR: join(dataDir, 'data'), DATA_KEY_FILE: join(dataDir, 'keys', 'data.key'), BACKUP_DIR: join(dataDir, 'backups'), DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('main.ts', () => {
  it('a wrong setting stops start-up with a message naming it', async () => {
    const service = startService({ PORT: 'eighty' });
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain('PORT');
  });

  it('starts, creates the bootstrap admin, serves, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const service = startService({ PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: TOKEN });
    const base = `http://127.0.0.1:${port}`;
    let healthy = false;
    for (let attempt = 0; attempt < 150 && !healthy; attempt++) {
      try {
        healthy = (await fetch(`${base}/healthz`)).status === 200;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect(healthy, service.output()).toBe(true);
    const me = await fetch(`${base}/api/v1/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { role: string }).role).toBe('admin');

    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    // The log holds the request but never the token.
    expect(service.output()).toContain('/api/v1/me');
    expect(service.output()).not.toContain(TOKEN);
  });

  async function healthy(base: string, service: ReturnType<typeof startService>) {
    for (let attempt = 0; attempt < 150; attempt++) {
      if (service.child.exitCode !== null) return false;
      try {
        if ((await fetch(`${base}/healthz`)).status === 200) return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return false;
  }

  it('a client that sends its request too slowly gets 408 and its socket closed; an idle keep-alive socket is closed', async () => {
    const port = await freePort();
    const service = startService({ PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: TOKEN, REQUEST_TIMEOUT_MS: '1500', KEEP_ALIVE_TIMEOUT_MS: '1500' });
    expect(await healthy(`http://127.0.0.1:${port}`, service), service.output()).toBe(true);
    const exchange = (request: string) =>
      new Promise<{ answer: string; closedAfterMs: number }>((resolve) => {
        const started = Date.now();
        const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk));
        socket.on('close', () => resolve({ answer, closedAfterMs: Date.now() - started }));
        socket.on('error', () => undefined);
        setTimeout(() => socket.destroy(), 20_000);
      });
    // Headers and a part of the body, then nothing: answered 408 and closed, well before 20 s.
    const slow = await exchange(`POST /api/v1/institutions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"externalRef":`);
    expect(slow.answer).toMatch(/^HTTP\/1\.1 408/);
    expect(slow.closedAfterMs).toBeLessThan(10_000);
    // A whole request on a keep-alive connection, then silence: the server closes it.
    const idle = await exchange('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    expect(idle.answer).toMatch(/^HTTP\/1\.1 200/);
    expect(idle.closedAfterMs).toBeLessThan(10_000);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
  });

  it('refuses to serve other machines while the bootstrap token still works', async () => {
    const service = startService({ HOST: '0.0.0.0', PORT: String(await freePort()), BOOTSTRAP_ADMIN_TOKEN: TOKEN, ALLOW_PLAIN_HTTP: 'true' });
    expect(await service.exited).toBe(4);
    expect(service.output()).toContain('the bootstrap admin’s token still works');
    expect(service.output()).not.toContain(TOKEN);
  });

  it('once a personal admin has activated it serves other machines (here in clear, ALLOW_PLAIN_HTTP=true, warned at start), but never with the README’s example token set', async () => {
    const port = await freePort();
    const local = startService({ PORT: String(port), BOOTSTRAP_ADMIN_TOKEN: TOKEN });
    expect(await healthy(`http://127.0.0.1:${port}`, local), local.output()).toBe(true);
    const created = await fetch(`http://127.0.0.1:${port}/api/v1/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: '张管理', role: 'admin', username: 'zhang.admin' }),
    });
    expect(created.status).toBe(201);
    const { activationCode } = (await created.json()) as { activationCode: string };
    const password = 'Kx9#process-test-admin';
    const activated = await fetch(`http://127.0.0.1:${port}/api/v1/auth/activate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'zhang.admin', activationCode, password }),
    });
    expect(activated.status).toBe(200);
    local.child.kill('SIGTERM');
    expect(await local.exited).toBe(0);

    const example = startService({ HOST: '0.0.0.0', PORT: String(await freePort()), BOOTSTRAP_ADMIN_TOKEN: 'change-me-to-a-long-secret', ALLOW_PLAIN_HTTP: 'true' });
    expect(await example.exited).toBe(4);
    expect(example.output()).toContain('README’s published example');

    const openPort = await freePort();
    const open = startService({ HOST: '0.0.0.0', PORT: String(openPort), BOOTSTRAP_ADMIN_TOKEN: '', ALLOW_PLAIN_HTTP: 'true', REQUIRE_SECOND_FACTOR: 'none' });
    expect(await healthy(`http://127.0.0.1:${openPort}`, open), open.output()).toBe(true);
    expect(open.output()).toContain('ALLOW_PLAIN_HTTP=true');
    const signedIn = await fetch(`http://127.0.0.1:${openPort}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'zhang.admin', password }) });
    expect(signedIn.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${openPort}/api/v1/me`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(401);
    open.child.kill('SIGTERM');
    expect(await open.exited).toBe(0);
    expect(open.output()).not.toContain(password);
  });
});
