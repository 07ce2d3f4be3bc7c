import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerPool, type Offload } from '../src/workers/pool.js';
import { client, createTestApp, type Client, type TestApp } from './support/testApp.js';
import { createInstitution, createUser, createWorld, type World } from './support/world.js';

// Heavy work in worker threads: a task that fails inside a worker, or a worker that dies, fails
// its own request in the envelope (503, try again) and the service goes on serving.

let test: TestApp;
let world: World;
let pool: Offload;
beforeAll(async () => {
  pool = createWorkerPool({ threads: 1, filename: new URL('./support/failingWorker.mjs', import.meta.url).href });
  test = await createTestApp({ offload: pool });
  world = await createWorld(test);
});
afterAll(async () => {
  await test?.close();
  await pool?.close();
});

async function ownReconciliation(name: string): Promise<{ user: Client; id: string }> {
  const institution = await createInstitution(world.admin, { name });
  const user = client(test.app, (await createUser(world.admin, { name: '会计', role: 'institution', institutionId: institution.id })).token);
  const created = await user.post('/api/v1/reconciliations', { institutionId: institution.id, from: '2026-01', to: '2026-12', lines: [] });
  expect(created.status).toBe(201);
  return { user, id: created.body.id };
}

describe('a worker that fails', () => {
  it('a PDF job that throws inside a worker: 503 in the envelope with Retry-After; the next request succeeds', async () => {
    const failing = await ownReconciliation('渲染失败机构');
    const fine = await ownReconciliation('正常机构');
    const refused = await failing.user.request('GET', `/api/v1/reconciliations/${failing.id}/pdf`);
    expect([refused.status, refused.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(refused.headers['retry-after']).toBe('1');
    const served = await fine.user.request('GET', `/api/v1/reconciliations/${fine.id}/pdf`);
    expect(served.status).toBe(200);
    expect(served.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('a worker that dies is replaced: its request 503, the next served, again and again', async () => {
    const crashing = await ownReconciliation('崩溃机构');
    const fine = await ownReconciliation('另一正常机构');
    for (let round = 0; round < 3; round++) {
      const refused = await crashing.user.request('GET', `/api/v1/reconciliations/${crashing.id}/pdf`);
      expect([refused.status, refused.body.error.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
      const served = await fine.user.request('GET', `/api/v1/reconciliations/${fine.id}/pdf`);
      expect(served.status).toBe(200);
    }
    expect((await world.reviewer.get('/api/v1/me')).status).toBe(200);
  });

  it('spreadsheets go through the same pool: a refusal inside a worker keeps its code and message', async () => {
    const response = await world.a.request('POST', '/api/v1/claims/bulk', 'not,a\nspreadsheet,"', { 'content-type': 'text/csv' });
    expect([response.status, response.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(response.body.error.message).toMatch(/CSV file cannot be read/);
  });
});
