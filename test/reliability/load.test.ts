import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { brokenInvariants, leakedSecrets } from './invariants.js';
import { api, createDatabase, freePort, ServiceProcess } from './service.js';
import { buildWorld, type ReliabilityWorld } from './world.js';

// 200 clients at once for 60 seconds, a mixed workload of every kind of user (uploads and batch
// issues, whose work runs in worker threads, among them): not one answer of 500 or more, and the
// invariants hold afterwards.

const CLIENTS = 200;
const DURATION_MS = 60_000;
let database: Awaited<ReturnType<typeof createDatabase>>;
let service: ServiceProcess;
let world: ReliabilityWorld;

beforeAll(async () => {
  database = await createDatabase(inject('postgresUrl'), 'load');
  service = new ServiceProcess(database.url, await freePort());
  await service.start();
  world = await buildWorld(service.baseUrl, 30);
}, 300_000);

afterAll(async () => {
  await service?.stop();
  await database?.drop();
});

describe('load', () => {
  it(`${CLIENTS} concurrent clients for ${DURATION_MS / 1000} s: no answer ≥ 500, invariants hold`, async () => {
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const record = (operation: string, status: number, body: unknown) => {
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status >= 500 || status === 0) failures.push(`${operation} → ${status} ${JSON.stringify(body)?.slice(0, 200)}`);
    };
    const stopAt = Date.now() + DURATION_MS;
    let submissions = 0;

    async function client(index: number) {
      const institutionIndex = index % world.institutions.length;
      const institution = world.institutions[institutionIndex]!;
      const ownChildren = world.children.filter((child) => child.institution === institutionIndex);
      while (Date.now() < stopAt) {
        const roll = Math.random();
        const child = ownChildren[Math.floor(Math.random() * ownChildren.length)]!;
        const month = `2025-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`;
        if (roll < 0.3) {
          submissions += 1;
          const result = await institution.user.post('/api/v1/claims', { externalRef: `L${index}-${submissions}`, childId: child.id, service: 'training', periodFrom: month, periodTo: month, grossCost: '1800.00', reviewedBy: 'x' });
          record('submit', result.status, result.body);
        } else if (roll < 0.45) {
          const queue = await world.reviewer.get('/api/v1/claims?status=submitted&limit=20');
          record('queue', queue.status, queue.body);
          const claim = queue.body?.items?.[Math.floor(Math.random() * (queue.body?.items?.length ?? 0))];
          if (claim) record('approve', (await world.reviewer.post(`/api/v1/claims/${claim.id}/approve`, {})).status, null);
        } else if (roll < 0.6) {
          const result = await institution.user.get(`/api/v1/claims?childId=${child.id}`);
          record('list', result.status, result.body);
        } else if (roll < 0.75) {
          const result = await institution.user.post('/api/v1/settlements/preview', { childId: child.id, service: 'training', periodFrom: month, periodTo: month, grossCost: '1800.00' });
          record('preview', result.status, result.body);
        } else if (roll < 0.82) {
          const result = await institution.user.post('/api/v1/reconciliations', { institutionId: institution.id, from: '2025-01', to: '2025-12', lines: [{ externalRef: `L${index}-1`, amount: '1700.00' }] });
          record('reconcile', result.status, result.body);
        } else if (roll < 0.88) {
          record('batch', (await world.reviewer.post('/api/v1/batches', {})).status, null);
          const drafts = await world.reviewer.get('/api/v1/batches?status=draft');
          const draft = drafts.body?.items?.[0];
          if (draft) record('issue', (await world.reviewer2.post(`/api/v1/batches/${draft.id}/issue`, {})).status, null);
        } else if (roll < 0.9) {
          // A spreadsheet of ten claims, read in a worker thread within the upload limits.
          const rows = Array.from({ length: 10 }, (_, row) => {
            const other = ownChildren[Math.floor(Math.random() * ownChildren.length)]!;
            const period = `2025-${String(1 + Math.floor(Math.random() * 12)).padStart(2, '0')}`;
            return `U${index}-${submissions}-${row},${other.idNumber},康复训练,${period},${period},1800.00,x`;
          });
          submissions += 1;
          const csv = ['结算申请号,儿童身份证号,救助项目,开始月份,结束月份,总费用,自审人', ...rows].join('\n');
          const result = await institution.user.upload('/api/v1/claims/bulk', csv, 'text/csv');
          record('upload', result.status, result.body);
        } else if (roll < 0.95) {
          const issued = await world.finance.get('/api/v1/batches?status=issued');
          const batch = issued.body?.items?.[Math.floor(Math.random() * (issued.body?.items?.length ?? 0))];
          if (batch) {
            const pdf = await world.finance.get(`/api/v1/batches/${batch.id}/pdf`);
            record('pdf', pdf.status, null);
          }
        } else {
          const stats = await world.reviewer.get('/api/v1/stats?year=2025');
          record('stats', stats.status, stats.body);
        }
      }
    }

    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
    const answered = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(failures.slice(0, 10)).toEqual([]);
    expect(answered).toBeGreaterThan(1000);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(500);
    expect(await brokenInvariants(database.sql)).toEqual({});
    // The service is still healthy after the storm.
    expect((await api(service.baseUrl, '').get('/healthz')).status).toBe(200);
  }, 300_000);

  it('never wrote a token, a full ID number or a phone number to its logs', () => {
    expect(leakedSecrets(service.output, [...world.secrets, ...world.children.map((child) => child.idNumber), '13900001111'])).toEqual([]);
  });
});
