import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { ADMIN_TOKEN, client, type TestApp } from './support/testApp.js';
import { withTestApp } from './support/lifecycle.js';

let test: TestApp;
withTestApp((made) => (test = made));

describe('service basics', () => {
  it('answers /healthz without a token once migrated', async () => {
    const response = await client(test.app).get('/healthz');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('serves an OpenAPI document listing every API path, generated from the route schemas', async () => {
    const response = await client(test.app).get('/openapi.json');
    expect(response.status).toBe(200);
    const paths = Object.keys(response.body.paths);
    for (const path of ['/api/v1/children', '/api/v1/users', '/api/v1/me', '/api/v1/institutions', '/api/v1/policies', '/api/v1/applications/{id}/approve', '/api/v1/audit']) {
      expect(paths).toContain(path);
    }
    const childBody = response.body.paths['/api/v1/children'].post.requestBody.content['application/json'].schema;
    // A category is optional since children in difficulty (protection.md §2).
    expect(childBody.required).toEqual(expect.arrayContaining(['idNumber', 'name', 'regionCode', 'guardian']));
  });

  it('serves the OpenAPI UI at /docs', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
  });

  it('gives every response a request id', async () => {
    const response = await client(test.app).get('/healthz');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('error envelope', () => {
  const admin = () => client(test.app, ADMIN_TOKEN);

  it('unknown route → 404 NOT_FOUND', async () => {
    for (const response of [await admin().get('/api/v1/nothing-here'), await client(test.app).get('/nothing')]) {
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
      expect(response.body.error.details).toEqual([]);
    }
  });

  it('malformed JSON → 400 VALIDATION_FAILED', async () => {
    const response = await admin().request('POST', '/api/v1/institutions', '{"code": ');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('a JSON body that is not an object → 400', async () => {
    for (const body of ['[]', '"text"', '42', 'null']) {
      const response = await admin().request('POST', '/api/v1/institutions', body);
      expect(response.status, body).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('prototype-poisoning keys are refused', async () => {
    const response = await admin().request('POST', '/api/v1/institutions', '{"__proto__": {"admin": true}}');
    expect(response.status).toBe(400);
  });

  it('an unsupported content type → 415 in the envelope', async () => {
    const response = await admin().request('POST', '/api/v1/institutions', 'code=1', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(response.status).toBe(415);
    expect(response.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body over the size limit → 413 in the envelope', async () => {
    const response = await admin().post('/api/v1/institutions', { code: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an id that is not a UUID → 404 like an unknown id', async () => {
    for (const url of ['/api/v1/institutions/abc', '/api/v1/institutions/1', "/api/v1/institutions/'%20or%201=1", '/api/v1/institutions/00000000-0000-7000-8000-00000000ffff']) {
      const response = await admin().get(url);
      expect(response.status, url).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('a validation error names the field and the problem', async () => {
    const response = await admin().post('/api/v1/institutions', { code: 'X', name: '', regionCode: '5117', services: [], bankAccount: {} });
    expect(response.status).toBe(400);
    const fields = response.body.error.details.map((detail: { field: string }) => detail.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'regionCode', 'services', 'bankAccount.bank']));
  });

  it('an unexpected error → 500 INTERNAL_ERROR whose text is never shown', async () => {
    const app = await buildApp({ db: test.db, keyring: test.keyring });
    app.get('/api/v1/explode', async () => {
      throw new Error('secret database password is hunter2');
    });
    await app.ready();
    const response = await client(app, ADMIN_TOKEN).get('/api/v1/explode');
    await app.close();
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe('INTERNAL_ERROR');
    expect(JSON.stringify(response.body)).not.toContain('hunter2');
  });
});
