import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/http/logging.js';
import { submit, trainingClaim } from './support/claims.js';
import { ADMIN_TOKEN, createTestApp, type Client, type TestApp } from './support/testApp.js';
import { childBody, createUser, createWorld, referredChild, type World } from './support/world.js';
import { caseBody } from './support/protection.js';

// Hostile input on every route: whatever arrives, the answer is < 500 in the error envelope, and a
// refused request changes no table. The service's own log lines are captured on the way and
// checked for secrets and personal data.

const routes: { method: string; url: string; roles: readonly string[] | undefined }[] = [];
const logLines: string[] = [];
let test: TestApp;
let world: World;
const personal: string[] = [];
let sampleIds: Record<string, string>;
/** The protection programme's offices: a township of 511702 and its health department. */
let township: Client;
let department: Client;
/** A family's bank account number: personal data that must never reach a log line. */
const FAMILY_ACCOUNT = '6214670000000000099';

async function rowCounts(): Promise<string> {
  const tables = (await test.db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)) as any;
  const names: string[] = (tables.rows ?? tables).map((row: { table_name: string }) => row.table_name);
  const counts = (await test.db.execute(sql.raw(`select ${names.map((name) => `(select count(*) from "${name}")::text as "${name}"`).join(', ')}`))) as any;
  return JSON.stringify((counts.rows ?? counts)[0]);
}

beforeAll(async () => {
  test = await createTestApp({ onRoute: (route) => routes.push(route), logger: loggerOptions('info', { write: (line: string) => logLines.push(line) }) });
  world = await createWorld(test);
  const { child, application } = await referredChild(world, { birthDate: '2021-02-01', category: 'hearing', services: ['training'] });
  const claim = await submit(world.a, trainingClaim(child.id, '2026-01', '2026-01', '1000'));
  // A care-allowance beneficiary with a roll, so that those routes meet real records too.
  const certifiedBody = childBody({ birthDate: '2018-03-03' });
  const certified = await world.reviewer.post('/api/v1/children', { ...certifiedBody, certificateNo: `${certifiedBody.idNumber}62` });
  const beneficiary = await world.reviewer.post('/api/v1/allowance/beneficiaries', {
    childId: certified.body.id,
    tier: 'care',
    acceptedOn: '2026-09-01',
    acceptedBy: '东城街道',
    community: { name: '朝阳社区' },
    bankAccount: { bank: '四川农信', accountName: '张大山', accountNumber: FAMILY_ACCOUNT },
  });
  await world.civilAffairs.post(`/api/v1/allowance/beneficiaries/${beneficiary.body.id}/approve`, {});
  const roll = await world.civilAffairs.post('/api/v1/allowance/rolls', { month: '2026-10' });
  // A child in difficulty with a case in county review routed to health, so that those routes meet real records too.
  const townshipUser = await createUser(world.admin, { name: '乡镇', role: 'township', townshipCode: '511702001' });
  const departmentUser = await createUser(world.admin, { name: '卫健', role: 'department', department: 'health', regionCode: '511702' });
  township = townshipUser.client;
  department = departmentUser.client;
  const protectedChild = await township.post('/api/v1/children', { ...childBody({ birthDate: '2015-05-05' }), category: null, villageCode: '511702001003' });
  const kase = await township.post('/api/v1/protection/cases', caseBody(protectedChild.body.id, { categories: ['severe_illness_disability'], severeBasis: 'illness', bankAccount: null }));
  const checked = await township.post(`/api/v1/protection/cases/${kase.body.id}/check`, { decision: 'agree' });
  personal.push(protectedChild.body.idNumber, ...townshipUser.secrets, ...departmentUser.secrets);
  personal.push(child.idNumber, certified.body.idNumber, '13800000000', ADMIN_TOKEN, FAMILY_ACCOUNT, ...Object.values(world.users).flatMap((user) => user.secrets));
  sampleIds = {
    child: child.id,
    application: application.id,
    claim: claim.id,
    institution: world.instA.id,
    beneficiary: beneficiary.body.id,
    roll: roll.body.id,
    protectedChild: protectedChild.body.id,
    case: checked.body.id,
  };
});
afterAll(async () => test?.close());

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\udfff x', '\u202e', "'; drop table claims; --", '../../etc/passwd', '%00', '１２３', '-1', '1e309', 'NaN', '0x10'),
  fc.integer({ min: 1000, max: 200_000 }).map((length) => 'x'.repeat(length)),
);

const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

const deepNesting = fc.integer({ min: 100, max: 3000 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown);

const sampleBodies: Record<string, () => Record<string, unknown>> = {
  '/api/v1/children': () => childBody(),
  '/api/v1/claims': () => trainingClaim(sampleIds.child!, '2026-02', '2026-02', '100'),
  '/api/v1/applications': () => ({ childId: sampleIds.child, year: 2026, services: ['training'], institutionId: sampleIds.institution }),
  '/api/v1/institutions': () => ({ code: 'F', name: 'n', regionCode: '511702', services: ['training'], bankAccount: { bank: 'b', accountName: 'a', accountNumber: '1234567' } }),
  '/api/v1/users': () => ({ name: 'n', role: 'reviewer', regionCode: '511702' }),
  '/api/v1/policies': () => ({ name: 'p', effectiveFrom: '2099-01-01', rules: [{ service: 'training', annualLimit: '1' }] }),
  '/api/v1/allowance/beneficiaries': () => ({
    childId: sampleIds.child,
    tier: 'care',
    acceptedOn: '2026-09-01',
    acceptedBy: '街道',
    community: { name: '社区' },
    bankAccount: { bank: 'b', accountName: 'a', accountNumber: FAMILY_ACCOUNT },
  }),
  '/api/v1/allowance/rolls': () => ({ month: '2026-11' }),
  '/api/v1/allowance/rolls/:id/results': () => ({ results: [{ transferNo: 1, status: 'failed', reason: 'r' }] }),
  '/api/v1/allowance/rolls/:id/objections': () => ({ beneficiaryId: sampleIds.beneficiary, reason: 'r' }),
  '/api/v1/allowance/standards': () => ({ effectiveFrom: '2099-01', careMonthly: '30.00', nursingSupplementMonthly: '10.00' }),
  '/api/v1/reconciliations': () => ({ institutionId: sampleIds.institution, from: '2026-01', to: '2026-12', lines: [{ externalRef: 'x', amount: '1' }] }),
  '/api/v1/protection/cases': () => caseBody(sampleIds.protectedChild!),
  '/api/v1/protection/cases/:id': () => caseBody(sampleIds.protectedChild!),
  '/api/v1/protection/cases/:id/check': () => ({ decision: 'agree', noticeFrom: '2026-11-22' }),
  '/api/v1/protection/cases/:id/reviews': () => ({ decision: 'refuse', reason: 'r' }),
  '/api/v1/protection/cases/:id/recognise': () => ({ categories: ['severe_illness_disability'], livingArrangement: 'scattered' }),
  '/api/v1/protection/cases/:id/exit': () => ({ reason: 'other', eventOn: '2026-11-01' }),
  '/api/v1/protection/quarterly-updates': () => ({ quarter: '2026-Q3', lines: [{ caseId: sampleIds.case, result: 'confirmed' }] }),
  '/api/v1/protection/criteria': () => ({ name: 'c', effectiveFrom: '2099-01-01', deFactoUnsupported: { absent: ['dead'], qualifying: { missing: { minElapsedMonths: 6 } } }, extremePovertyUnderAge: 16 }),
};

/** A valid-looking body with one field replaced, or something that is not a body at all. */
function bodyArbitrary(url: string): fc.Arbitrary<unknown> {
  const sample =
    sampleBodies[url] ??
    (() => ({ reason: 'r', amount: '1', note: 'n', date: '2026-01-01', voucherNo: 'v', paidAt: '2026-01-01', childrenTarget: 1, rows: [{}], tier: 'care', fromMonth: '2026-10', on: '2026-10-01', from: '2026-10-01' }));
  const mutated = fc.record({ key: fc.constantFrom(...Object.keys(sample()), 'extra', '__proto__', 'constructor'), value: hostileValue }).map(({ key, value }) => {
    const body = sample();
    Object.defineProperty(body, key, { value, enumerable: true, configurable: true, writable: true });
    return body;
  });
  return fc.oneof(mutated, hostileValue, deepNesting, fc.constant(undefined));
}

// A URL carries UTF-8, so a lone surrogate cannot be in one: those go into bodies only.
const urlSafe = (value: string) => {
  try {
    return value.length < 2000 && encodeURIComponent(value).length > 0;
  } catch {
    return false;
  }
};
const pathId = fc.oneof(
  fc.uuid(),
  hostileString.filter(urlSafe),
  fc.constantFrom(...['child', 'application', 'claim', 'institution', 'beneficiary', 'roll', 'protectedChild', 'case']).map((name) => sampleIds[name]!),
);

function callerFor(roles: readonly string[] | undefined): Client[] {
  const all: Record<string, Client> = { admin: world.admin, auditor: world.auditor, reviewer: world.reviewer, finance: world.finance, civil_affairs: world.civilAffairs, institution: world.a, township, department };
  return (roles ?? Object.keys(all)).map((role) => all[role]!);
}

describe('fuzzing every route', () => {
  it('answers < 500 in the envelope, and a refused request writes nothing', async () => {
    const apiRoutes = routes.filter((route) => route.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(40);
    let requests = 0;
    for (const route of apiRoutes) {
      const callers = callerFor(route.roles);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...callers),
          fc.array(pathId, { minLength: 2, maxLength: 2 }),
          bodyArbitrary(route.url),
          fc.dictionary(
            fc.constantFrom('limit', 'cursor', 'year', 'status', 'from', 'to', 'idNumber', 'regionCode', 'atomic', 'childId', 'quarter', 'overdue', 'pending', 'villageCode', 'category'),
            hostileString.filter(urlSafe),
            { maxKeys: 3 },
          ),
          async (caller, ids, body, query) => {
            const path = route.url.replace(/:(id|regionCode|year)/g, () => encodeURIComponent(ids.shift() ?? 'x'));
            const search = new URLSearchParams(query as Record<string, string>).toString();
            const url = search ? `${path}?${search}` : path;
            const before = await rowCounts();
            const response = await caller.request(route.method as 'GET', url, route.method === 'GET' ? undefined : body);
            requests += 1;
            expect(response.status, `${route.method} ${url}`).toBeLessThan(500);
            if (response.status >= 400) {
              expect(response.body?.error?.code, `${route.method} ${url}`).toEqual(expect.any(String));
              expect(response.body?.error?.message).toEqual(expect.any(String));
              expect(Array.isArray(response.body?.error?.details)).toBe(true);
              expect(await rowCounts(), `${route.method} ${url} wrote on refusal`).toBe(before);
            }
          },
        ),
        { numRuns: 25 },
      );
    }
    expect(requests).toBeGreaterThan(1000);
    // Every route, 25 hostile requests each, the row counts of every table around each: a few
    // thousand requests, more than the default minute on a busy 2-core machine.
  }, 300_000);

  it('left no bearer token, full ID number, phone number or family bank account number in the logs', () => {
    expect(logLines.length).toBeGreaterThan(1000);
    const everything = logLines.join('');
    for (const secret of personal) expect(everything.includes(secret), `log holds ${secret.slice(0, 4)}…`).toBe(false);
  });
});
