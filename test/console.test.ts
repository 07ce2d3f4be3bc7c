import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebConsole } from '../src/web/build.js';
import { createTestApp, type TestApp } from './support/testApp.js';

// The web console as the service serves it: the page, its hashed assets, the font, and the rule
// that the console uses the public API only.

const CLIENT_DIR = fileURLToPath(new URL('../src/web/client/', import.meta.url));
let webRoot: string;
let test: TestApp;
let bare: TestApp;
const routes: { method: string; url: string }[] = [];

beforeAll(async () => {
  webRoot = mkdtempSync(path.join(tmpdir(), 'console-build-'));
  await buildWebConsole(webRoot);
  test = await createTestApp({ webRoot, onRoute: (route) => routes.push(route) });
  bare = await createTestApp();
});

afterAll(async () => {
  await test?.close();
  await bare?.close();
  rmSync(webRoot, { recursive: true, force: true });
});

describe('the console page', () => {
  it('is served at / with a policy that allows only the service itself', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.body).toContain('<html lang="zh-CN">');
    // Nothing the page loads comes from another host.
    expect(response.body).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it('serves the hashed bundle and stylesheet for good, and nothing else under /assets', async () => {
    const html = (await test.app.inject({ method: 'GET', url: '/' })).body;
    const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]!);
    expect(assets.map((asset) => path.extname(asset)).sort()).toEqual(['.css', '.js']);
    for (const asset of assets) {
      const response = await test.app.inject({ method: 'GET', url: asset });
      expect(response.statusCode, asset).toBe(200);
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
    const missing = await test.app.inject({ method: 'GET', url: '/assets/main-NOSUCH.js' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
    const escape = await test.app.inject({ method: 'GET', url: '/assets/..%2F..%2Fpackage.json' });
    expect(escape.statusCode).toBe(404);
  });

  it('serves the Chinese font from the npm package, so no page needs the internet', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/assets/fonts/noto-sans-sc-regular.ttf' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('font/ttf');
    expect(response.rawPayload.length).toBeGreaterThan(1_000_000);
    const stylesheet = readdirSync(path.join(webRoot, 'assets')).find((file) => file.endsWith('.css'))!;
    expect(readFileSync(path.join(webRoot, 'assets', stylesheet), 'utf8')).toContain('/assets/fonts/noto-sans-sc-regular.ttf');
  });

  it('without a build, says how to make one; the API is unaffected', async () => {
    const response = await bare.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
    expect((await bare.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('does not open the API: /api still needs a token', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/api/v1/claims' });
    expect([response.statusCode, response.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('the console uses the public API only', () => {
  // Every path the console's code asks the API for, with ${...} read as a path parameter.
  const sources = readdirSync(CLIENT_DIR, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => readFileSync(path.join(CLIENT_DIR, file), 'utf8'));
  const calls = sources.flatMap((source) =>
    [...source.matchAll(/api\.(get|post|put|patch|delete|upload|download|blob|postForFile|all)(?:<[^>]*>)?\(\s*[`'"](\/[^`'"]*)[`'"]/g)].map((match) => ({
      verb: match[1]!,
      path: match[2]!.replace(/\$\{[^}]+\}/g, ':param').split('?')[0]!,
    })),
  );

  it('finds the calls', () => {
    expect(calls.length).toBeGreaterThan(30);
  });

  it('every call names a route of the documented API', async () => {
    const documented = (await test.app.inject({ method: 'GET', url: '/openapi.json' })).json().paths as Record<string, Record<string, unknown>>;
    const methodOf: Record<string, string> = { get: 'get', all: 'get', download: 'get', blob: 'get', postForFile: 'post', post: 'post', upload: 'post', put: 'put', patch: 'patch', delete: 'delete' };
    const shape = (url: string) => url.replace(/\{[^}]+\}|:[^/]+/g, ':param');
    const known = new Set(Object.entries(documented).flatMap(([url, methods]) => Object.keys(methods).map((method) => `${method} ${shape(url)}`)));
    const unknown = calls.filter((call) => !known.has(`${methodOf[call.verb]} ${shape(`/api/v1${call.path}`)}`));
    expect(unknown).toEqual([]);
    expect(routes.some((route) => route.url === '/')).toBe(true);
  });
});
