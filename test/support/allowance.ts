import { expect } from 'vitest';
import { idNumber, type Client, type TestApp } from './testApp.js';
import { personalAdmins } from './world.js';
import { withTestApp } from './lifecycle.js';

// The care allowance's tests each run in a county of their own: rolls of a region are built in month
// order, so a scenario that needs its own December gets its own region.

export interface County {
  regionCode: string;
  reviewer: Client;
  civilAffairs: Client;
  /** A second civil affairs officer: issues the rolls the first builds, confirms what the first asks for (security.md §2). */
  civilAffairs2: Client;
  finance: Client;
}

let countySequence = 0;

/** A fresh county (region code 5117xx) with its reviewer, two civil affairs officers and finance officer. */
export async function createCounty(test: TestApp): Promise<County> {
  countySequence += 1;
  const regionCode = `51${String(7200 + countySequence).padStart(4, '0')}`;
  const admins = await personalAdmins(test);
  const as = async (role: string, name: string) => (await admins.createUser({ name, role, regionCode })).client;
  return {
    regionCode,
    reviewer: await as('reviewer', `审核${countySequence}`),
    civilAffairs: await as('civil_affairs', `民政${countySequence}`),
    civilAffairs2: await as('civil_affairs', `民政复核${countySequence}`),
    finance: await as('finance', `财政${countySequence}`),
  };
}

let accountSequence = 0;
export const accountNumber = () => `62146700${String(++accountSequence).padStart(11, '0')}`;

/** Registers a child of the county holding a disability certificate (unless told otherwise). */
export async function certifiedChild(county: County, options: { birthDate?: string; name?: string; certificate?: boolean } = {}) {
  const id = idNumber(county.regionCode, options.birthDate ?? '2018-03-03');
  const response = await county.reviewer.post('/api/v1/children', {
    idNumber: id,
    name: options.name ?? '张小明',
    regionCode: county.regionCode,
    category: 'autism',
    ...(options.certificate === false ? {} : { certificateNo: `${id}62` }),
    guardian: { name: '张大山', relation: 'father', phone: '13800000000' },
  });
  if (response.status !== 201) throw new Error(`child not registered: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; idNumber: string; name: string };
}

export function enrolBody(childId: string, overrides: Record<string, unknown> = {}) {
  return {
    childId,
    tier: 'care',
    acceptedOn: '2025-09-26',
    acceptedBy: '通川区东城街道办事处',
    community: { name: '朝阳社区', code: '511702001003' },
    bankAccount: { bank: '四川农信通川区联社', accountName: '张大山', accountNumber: accountNumber() },
    ...overrides,
  };
}

/** A child enrolled by the reviewer and approved by civil affairs: an active beneficiary. */
export async function activeBeneficiary(
  county: County,
  options: { birthDate?: string; name?: string; acceptedOn?: string; tier?: string; community?: string; communityCode?: string; accountName?: string; approve?: boolean } = {},
) {
  const child = await certifiedChild(county, { birthDate: options.birthDate, name: options.name });
  const enrolled = await county.reviewer.post(
    '/api/v1/allowance/beneficiaries',
    enrolBody(child.id, {
      ...(options.acceptedOn ? { acceptedOn: options.acceptedOn } : {}),
      ...(options.tier ? { tier: options.tier } : {}),
      ...(options.community ? { community: { name: options.community, ...(options.communityCode ? { code: options.communityCode } : {}) } } : {}),
      ...(options.accountName ? { bankAccount: { bank: '四川农信通川区联社', accountName: options.accountName, accountNumber: accountNumber() } } : {}),
    }),
  );
  if (enrolled.status !== 201) throw new Error(`not enrolled: ${JSON.stringify(enrolled.body)}`);
  if (options.approve === false) return { ...enrolled.body, child } as Beneficiary;
  const approved = await county.civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
  if (approved.status !== 200) throw new Error(`not approved: ${JSON.stringify(approved.body)}`);
  return { ...approved.body, child } as Beneficiary;
}

export interface Beneficiary {
  id: string;
  childId: string;
  status: string;
  startMonth: string;
  lastMonth: string;
  child: { id: string; idNumber: string; name: string };
  bankAccount: { accountNumber: string };
}

export interface Roll {
  id: string;
  number: string;
  status: string;
  total: string;
  arrearsTotal: string;
  byFund: { county: string; hardship: string };
  entryCount: number;
  beneficiaryCount: number;
  sha256: string | null;
  transfers: { transferNo: number; beneficiaryId: string; childName: string; accountNumber: string; months: string[]; amount: string; status: string; failureReason: string | null }[];
  held: { beneficiaryId: string; reason: string; months: string[]; amount: string }[];
}

export function transferOf(roll: Roll, beneficiaryId: string) {
  return roll.transfers.find((transfer) => transfer.beneficiaryId === beneficiaryId);
}

/** Builds and publishes (notice from `noticeFrom`) a roll, and the second officer issues it, the clock moved past the notice. */
export async function issuedRoll(test: TestApp, county: County, month: string, noticeFrom: string): Promise<Roll> {
  const built = await county.civilAffairs.post('/api/v1/allowance/rolls', { month });
  if (built.status !== 201) throw new Error(`roll not built: ${JSON.stringify(built.body)}`);
  const published = await county.civilAffairs.post(`/api/v1/allowance/rolls/${built.body.id}/publish`, { from: noticeFrom });
  if (published.status !== 200) throw new Error(`roll not published: ${JSON.stringify(published.body)}`);
  const end = new Date(`${noticeFrom}T10:00:00+08:00`);
  end.setUTCDate(end.getUTCDate() + 7);
  if (test.clock.now() < end) test.clock.set(end.toISOString());
  const issued = await county.civilAffairs2.post(`/api/v1/allowance/rolls/${built.body.id}/issue`, {});
  if (issued.status !== 200) throw new Error(`roll not issued: ${JSON.stringify(issued.body)}`);
  return issued.body as Roll;
}

/** The months from..to inclusive (YYYY-MM): the shared calendar's. */
export { monthRange } from '../../src/domain/calendar.js';

/** A record's per-month view as "month:status". */
export const monthsOf = (detail: { months: { month: string; status: string }[] }) => detail.months.map((month) => `${month.month}:${month.status}`);

/** Builds the county's roll of a month (201 or the test fails). */
export async function buildRoll(county: County, month: string): Promise<Roll> {
  const response = await county.civilAffairs.post('/api/v1/allowance/rolls', { month });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body;
}

/**
 * A new account for a beneficiary that takes effect: asked for (by the reviewer unless told) and
 * confirmed by a civil affairs officer who did not ask (security.md §2). The confirmed record.
 */
export async function changeAccount(county: County, id: string, account: { bank: string; accountName: string; accountNumber: string }, options: { by?: Client } = {}) {
  const by = options.by ?? county.reviewer;
  const asked = await by.put(`/api/v1/allowance/beneficiaries/${id}/bank-account`, account);
  expect(asked.status, JSON.stringify(asked.body)).toBe(200);
  const confirmer = by === county.civilAffairs ? county.civilAffairs2 : county.civilAffairs;
  const confirmed = await confirmer.post(`/api/v1/allowance/beneficiaries/${id}/bank-account/confirm`, {});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return confirmed.body;
}

/** An overpayment waived: asked for by the first civil affairs officer, confirmed by the second. The waived overpayment. */
export async function waiveOverpayment(county: County, id: string, reason: string) {
  const asked = await county.civilAffairs.post(`/api/v1/allowance/overpayments/${id}/waive`, { reason });
  expect(asked.status, JSON.stringify(asked.body)).toBe(200);
  const confirmed = await county.civilAffairs2.post(`/api/v1/allowance/overpayments/${id}/waive/confirm`, {});
  expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
  return confirmed.body;
}

/** A beneficiary as civil affairs reads it (200 or the test fails). */
export async function beneficiaryDetail(county: County, id: string) {
  const response = await county.civilAffairs.get(`/api/v1/allowance/beneficiaries/${id}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body;
}

/** The audit actions of an entity as a reader of its part of the trail sees them, oldest first. */
export async function auditActions(reader: Client, entityId: string): Promise<string[]> {
  return (await reader.get(`/api/v1/audit?entityId=${entityId}&limit=500`)).body.items.map((event: { action: string }) => event.action);
}

/**
 * An allowance test file's app, scenario by scenario in counties of their own: `take` receives the
 * app; `at` moves its clock (a date is 10:00 China time); `auditOf` reads a record's trail as the
 * county's civil affairs office does (security.md §3).
 */
export function withAllowanceApp(take: (test: TestApp) => void) {
  let app: TestApp;
  withTestApp((made) => {
    app = made;
    take(made);
  });
  return {
    at: (iso: string) => app.clock.set(iso.length === 10 ? `${iso}T10:00:00+08:00` : iso),
    auditOf: (county: County, entityId: string) => auditActions(county.civilAffairs, entityId),
  };
}
