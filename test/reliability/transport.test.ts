import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, freePort, RELIABILITY_ADMIN_TOKEN } from './service.js';

// Transport (security.md §1, 通信传输), with the built service as an office starts it: a HOST other
// than loopback without TLS or a TLS proxy is refused (exit 4, saying why); with TLS_CERT_FILE and
// TLS_KEY_FILE it serves HTTPS with Strict-Transport-Security and a Secure session cookie.

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let folder: string;
let database: Awaited<ReturnType<typeof createDatabase>>;

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rehab-tls-'));
  database = await createDatabase(inject('postgresUrl'), 'transport');
  // A self-signed certificate for 127.0.0.1, made here as an office would make a test one.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(folder, 'key.pem'), '-out', join(folder, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
});
afterAll(async () => {
  await database?.drop();
  rmSync(folder, { recursive: true, force: true });
});

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: database.url, BOOTSTRAP_ADMIN_TOKEN: RELIABILITY_ADMIN_TOKEN, REQUIRE_SECOND_FACTOR: 'none', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** An HTTPS request that trusts only the test's own certificate. */
function httpsRequest(port: number, path: string, options: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const request = https.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', ca: readFileSync(join(folder, 'cert.pem')), headers: options.headers },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    request.on('error', reject);
    if (options.body) request.write(options.body);
    request.end();
  });
}

describe('transport', () => {
  it('HOST=0.0.0.0 without TLS, a TLS proxy or ALLOW_PLAIN_HTTP: start-up refused with exit 4, saying why', async () => {
    const service = start({ HOST: '0.0.0.0', PORT: String(await freePort()) });
    expect(await service.exited).toBe(4);
    expect(service.output()).toContain('would serve other machines over plain HTTP');
    expect(service.output()).toContain('TLS_CERT_FILE');
    expect(service.output()).toContain('TRUST_PROXY');
  });

  it('with TLS_CERT_FILE and TLS_KEY_FILE: HTTPS with Strict-Transport-Security, and a Secure session cookie', async () => {
    const port = await freePort();
    const service = start({ HOST: '127.0.0.1', PORT: String(port), TLS_CERT_FILE: join(folder, 'cert.pem'), TLS_KEY_FILE: join(folder, 'key.pem') });
    try {
      let health = null;
      for (let attempt = 0; attempt < 300 && !health && service.child.exitCode === null; attempt++) {
        health = await httpsRequest(port, '/healthz').catch(() => null);
        if (!health) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health?.status, service.output()).toBe(200);
      expect(health!.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(service.output()).toContain('transport: HTTPS');
      expect(service.output()).toContain('service ready: open https://127.0.0.1:');

      const created = await httpsRequest(port, '/api/v1/users', { method: 'POST', headers: { authorization: `Bearer ${RELIABILITY_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: '审核', role: 'reviewer', regionCode: '511702' }) });
      const { username, activationCode } = JSON.parse(created.body) as { username: string; activationCode: string };
      const password = 'Kx9#over-tls-only';
      await httpsRequest(port, '/api/v1/auth/activate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, activationCode, password }) });
      const signedIn = await httpsRequest(port, '/api/v1/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      expect(signedIn.status).toBe(200);
      expect(String(signedIn.headers['set-cookie'])).toMatch(/rehab_session=.*; Path=\/; HttpOnly; Secure; SameSite=Strict/);
      // Plain HTTP on the same port is not served.
      await expect(fetch(`http://127.0.0.1:${port}/healthz`).then((response) => response.status)).rejects.toThrow();
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });
});
