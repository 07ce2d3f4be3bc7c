import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { envelope } from '../http/errors.js';
import type { App } from '../http/types.js';

// Serves the web console built by src/web/build.ts (npm run build writes dist/console): GET / answers
// index.html, GET /assets/<name> the hashed bundle files, and the Chinese font comes from the same
// npm package the PDFs embed, so no page needs the internet. The console talks to /api/v1 only,
// with the signed-in user's bearer token, like any other client.

const require = createRequire(import.meta.url);
const FONT_FILE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';
export const CONSOLE_FONT_PATH = '/assets/fonts/noto-sans-sc-regular.ttf';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

// The console runs only its own script and styles; it talks only to this origin; blob: URLs
// let it show a downloaded PDF; nothing may frame it.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  contentType: string;
}

function loadAssets(assetsDir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  if (!existsSync(assetsDir)) return assets;
  for (const name of readdirSync(assetsDir)) {
    const file = path.join(assetsDir, name);
    if (!statSync(file).isFile()) continue;
    assets.set(name, { body: readFileSync(file), contentType: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' });
  }
  return assets;
}

/**
 * webRoot is the built console (dist/console). Without a build, GET / explains how to make one
 * rather than failing: the API works either way.
 */
export function registerWebRoutes(app: App, options: { webRoot: string | undefined }) {
  const indexFile = options.webRoot ? path.join(options.webRoot, 'index.html') : undefined;
  const indexHtml = indexFile && existsSync(indexFile) ? readFileSync(indexFile) : null;
  const assets = options.webRoot ? loadAssets(path.join(options.webRoot, 'assets')) : new Map<string, Asset>();
  const fontFile = require.resolve(FONT_FILE);
  const fontSize = statSync(fontFile).size;

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    reply
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-cache');
    if (!indexHtml) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send('<!doctype html><meta charset="utf-8"><title>控制台未构建</title><p>网页控制台尚未构建：请运行 <code>npm run build</code> 后重新启动服务。</p>');
    }
    return reply.type('text/html; charset=utf-8').send(indexHtml);
  });

  app.get(CONSOLE_FONT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type('font/ttf')
      .header('content-length', fontSize)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(fontFile)),
  );

  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) return reply.code(404).send(envelope('NOT_FOUND', `no asset ${request.params.name}`));
    // Asset names carry their content hash: a new build has new names, so a copy never goes stale.
    return reply
      .type(asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(asset.body);
  });
}
