import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import { auditEvents } from '../../src/db/schema.js';
import { idNumber, type Client, type TestApp } from './testApp.js';
import { personalAdmins, type CreatedUser } from './world.js';

// A county for the protection of children in difficulty (protection.md): two townships with a
// clerk each, two civil affairs officers (four eyes), the 残联 reviewer, the three departments,
// finance; and the same offices of a second county to show scope.

export interface ProtectionCounty {
  regionCode: string;
  townshipCode: string;
  otherTownshipCode: string;
  /** A village of the township and one of the other township. */
  village: string;
  otherVillage: string;
  township: Client;
  otherTownship: Client;
  civilAffairs: Client;
  civilAffairs2: Client;
  reviewer: Client;
  health: Client;
  education: Client;
  humanResources: Client;
  finance: Client;
  users: Record<'township' | 'otherTownship' | 'civilAffairs' | 'civilAffairs2' | 'reviewer' | 'health' | 'education' | 'humanResources' | 'finance', CreatedUser>;
}

/**
 * The offices of a county. Region 511702 (通川区) has real township and village names: 东城街道
 * (511702001) and 罗江镇 (511702102); another code gets townships 001 and 002 without names.
 */
export async function createProtectionCounty(test: TestApp, regionCode = '511702'): Promise<ProtectionCounty> {
  const admins = await personalAdmins(test);
  const named = regionCode === '511702';
  const townshipCode = named ? '511702001' : `${regionCode}001`;
  const otherTownshipCode = named ? '511702102' : `${regionCode}002`;
  const make = (body: Record<string, unknown>) => admins.createUser(body);
  const users = {
    township: await make({ name: '刘干事', role: 'township', townshipCode }),
    otherTownship: await make({ name: '罗干事', role: 'township', townshipCode: otherTownshipCode }),
    civilAffairs: await make({ name: '民政甲', role: 'civil_affairs', regionCode }),
    civilAffairs2: await make({ name: '民政乙', role: 'civil_affairs', regionCode }),
    reviewer: await make({ name: '残联审核', role: 'reviewer', regionCode }),
    health: await make({ name: '陈科长', role: 'department', department: 'health', regionCode }),
    education: await make({ name: '教育科', role: 'department', department: 'education', regionCode }),
    humanResources: await make({ name: '人社科', role: 'department', department: 'human_resources', regionCode }),
    finance: await make({ name: '财政', role: 'finance', regionCode }),
  };
  return {
    regionCode,
    townshipCode,
    otherTownshipCode,
    village: named ? '511702001003' : `${townshipCode}001`,
    otherVillage: named ? '511702102200' : `${otherTownshipCode}001`,
    township: users.township.client,
    otherTownship: users.otherTownship.client,
    civilAffairs: users.civilAffairs.client,
    civilAffairs2: users.civilAffairs2.client,
    reviewer: users.reviewer.client,
    health: users.health.client,
    education: users.education.client,
    humanResources: users.humanResources.client,
    finance: users.finance.client,
    users,
  };
}

let childSequence = 0;

/** A child registered by the township in one of its villages. */
export async function townshipChild(county: ProtectionCounty, options: { birthDate?: string; name?: string; village?: string; registrar?: Client } = {}) {
  childSequence += 1;
  const response = await (options.registrar ?? county.township).post('/api/v1/children', {
    idNumber: idNumber(county.regionCode, options.birthDate ?? '2015-04-04'),
    name: options.name ?? `困境儿童${childSequence}`,
    regionCode: county.regionCode,
    villageCode: options.village ?? county.village,
    guardian: { name: '张大山', relation: 'grandfather', phone: '13800000000' },
  });
  if (response.status !== 201) throw new Error(`child not registered: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string; idNumber: string; birthDate: string; villageCode: string };
}

let accountSequence = 0;
export const protectionAccount = () => ({ bank: '四川农信通川区联社', accountName: '张大山', accountNumber: `62146700${String(++accountSequence).padStart(11, '0')}` });

export type Parents = Record<'father' | 'mother', { situation: string; since: string; until: string | null; documents?: string[] }[]>;

export function caseBody(childId: string, overrides: Record<string, unknown> = {}) {
  return {
    childId,
    viaVillage: false,
    applicant: { name: '张大山', relation: 'grandfather', phone: '13800000000' },
    categories: ['orphan'],
    schoolingSupport: false,
    leftBehind: false,
    hivAffected: false,
    parents: { father: [{ situation: 'dead', since: '2020-01-01', until: null, documents: ['死亡证明'] }], mother: [{ situation: 'dead', since: '2021-06-01', until: null, documents: ['死亡证明'] }] },
    documents: ['户口簿'],
    bankAccount: protectionAccount(),
    ...overrides,
  };
}

/** A case received by the township; fails the test when refused. */
export async function receiveCase(county: ProtectionCounty, body: ReturnType<typeof caseBody>, by: Client = county.township) {
  const response = await by.post('/api/v1/protection/cases', body);
  if (response.status !== 201) throw new Error(`case not received: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as CaseAnswer;
}

export interface CaseAnswer {
  id: string;
  number: string;
  status: string;
  dueOn: string | null;
  overdue: boolean;
  [field: string]: any;
}

/** Sends a request and fails the test unless it answers 200; answers the body. */
export async function expectOk(send: Promise<{ status: number; body: any }>, what: string) {
  const response = await send;
  if (response.status !== 200 && response.status !== 201) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

/**
 * The audit rows of an entity or an action, oldest first, read from the table itself: who may read
 * which part through GET /audit is security.md §3's rule, tested where that rule is built.
 */
export async function auditRows(db: Database, filter: { entityType?: string; entityId?: string; action?: string }) {
  const conditions = [
    filter.entityType ? eq(auditEvents.entityType, filter.entityType) : undefined,
    filter.entityId ? eq(auditEvents.entityId, filter.entityId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
  ];
  const rows = await db.select().from(auditEvents).where(and(...conditions)).orderBy(asc(auditEvents.id));
  return rows.map((row) => ({ action: row.action, entityType: row.entityType, entityId: row.entityId, regionCode: row.regionCode, actorId: row.actorId, actorRole: row.actorRole, data: row.data as any }));
}

/**
 * A recognised case holding every value the programme keeps sealed (security.md §5): the
 * applicant's phone, the parents' facts (a court's judgment, a diagnosis), hivAffected, an account
 * and a change of it waiting, a visit's note and the report its danger raised, with the action
 * taken. Answers the case, the report and the values in clear that a database must never hold as they are.
 */
export async function caseWithEverySealedValue(offices: { township: Client; civilAffairs: Client }, place: { regionCode: string; village: string }, visitedOn: string) {
  const child = await offices.township.post('/api/v1/children', {
    idNumber: idNumber(place.regionCode, '2014-08-08'),
    name: '封存儿童',
    regionCode: place.regionCode,
    villageCode: place.village,
    guardian: { name: '李秀英', relation: 'grandmother', phone: '13900001111' },
  });
  if (child.status !== 201) throw new Error(`child not registered: ${child.status} ${JSON.stringify(child.body)}`);
  const phone = '13766668888';
  const judgment = '（2019）川1702民特88号宣告死亡判决书';
  const diagnosis = '精神分裂症诊断证明（达州市第二人民医院）';
  const account = protectionAccount();
  const pendingAccount = protectionAccount();
  const visitNote = '夜间常听见醉酒打骂，孩子手臂有淤青';
  const actionTaken = '已报派出所并临时安置于外婆家';
  const received = await expectOk(
    offices.township.post(
      '/api/v1/protection/cases',
      caseBody(child.body.id, {
        applicant: { name: '李秀英', relation: 'grandmother', phone },
        hivAffected: true,
        parents: { father: [{ situation: 'declared_missing', since: '2019-05-05', until: null, documents: [judgment] }], mother: [{ situation: 'dead', since: '2020-01-01', until: null, documents: [diagnosis] }] },
        bankAccount: account,
      }),
    ),
    'case',
  );
  await expectOk(offices.township.post(`/api/v1/protection/cases/${received.id}/check`, { decision: 'agree' }), 'check');
  await expectOk(offices.civilAffairs.post(`/api/v1/protection/cases/${received.id}/recognise`, { livingArrangement: 'scattered' }), 'recognise');
  await expectOk(offices.civilAffairs.put(`/api/v1/protection/cases/${received.id}/bank-account`, pendingAccount), 'account change');
  const visited = await expectOk(
    offices.township.post('/api/v1/protection/visits', {
      caseId: received.id,
      visitedOn,
      visitor: '王芳',
      checks: { guardianship: 'ok', living: 'ok', schooling: 'ok', health: 'ok', safety: 'danger' },
      note: visitNote,
    }),
    'visit',
  );
  await expectOk(offices.civilAffairs.post(`/api/v1/protection/reports/${visited.report.id}/acknowledge`, { actionTaken, policeNotified: true }), 'acknowledge');
  return { caseId: received.id as string, reportId: visited.report.id as string, secrets: [phone, judgment, diagnosis, account.accountNumber, pendingAccount.accountNumber, visitNote, actionTaken] };
}

/** A de facto unsupported child's categories and parents: father dead, mother severely disabled (criteria met). */
export const unsupported = {
  categories: ['de_facto_unsupported'],
  parents: { father: [{ situation: 'dead', since: '2019-01-01', until: null }], mother: [{ situation: 'severe_disability', since: '2018-05-01', until: null }] },
};
