import { ADMIN_TOKEN, client, idNumber, type Client, type TestApp } from './testApp.js';

// A small world most HTTP tests start from: two personal admins (the bootstrap admin's door is
// closed by the first), an auditor; region 511702 with two reviewers, a finance officer, two civil
// affairs officers (two people per desk: security.md §2) and two institutions with one user each;
// a second region 511781 with its own reviewer, finance and civil affairs officers and an
// institution there.

export const REGION = '511702';
export const OTHER_REGION = '511781';
export const ALL_SERVICES = ['training', 'early_intervention', 'cochlear_implant', 'limb_surgery', 'device'];

export interface World {
  admin: Client;
  /** A second admin: confirms what the first asks for (an institution's bank account). */
  admin2: Client;
  /** 审计管理员: reads the whole trail and the access log. */
  auditor: Client;
  reviewer: Client;
  /** A second reviewer of 511702: issues the batches the first builds. */
  reviewer2: Client;
  finance: Client;
  /** 县民政局 of 511702: runs the care allowance. */
  civilAffairs: Client;
  /** A second civil affairs officer of 511702. */
  civilAffairs2: Client;
  a: Client;
  b: Client;
  c: Client;
  otherReviewer: Client;
  otherFinance: Client;
  otherCivilAffairs: Client;
  anonymous: Client;
  instA: { id: string; name: string };
  instB: { id: string; name: string };
  instC: { id: string; name: string };
  users: Record<
    'admin' | 'admin2' | 'auditor' | 'reviewer' | 'reviewer2' | 'finance' | 'civilAffairs' | 'civilAffairs2' | 'a' | 'b' | 'c' | 'otherReviewer' | 'otherFinance' | 'otherCivilAffairs',
    { id: string; token: string }
  >;
}

let institutionSequence = 0;

export async function createInstitution(admin: Client, body: Partial<{ code: string; name: string; regionCode: string; services: string[] }> = {}) {
  institutionSequence += 1;
  const code = body.code ?? `JG-${String(institutionSequence).padStart(3, '0')}`;
  const response = await admin.post('/api/v1/institutions', {
    code,
    name: body.name ?? `康复中心${institutionSequence}`,
    regionCode: body.regionCode ?? REGION,
    services: body.services ?? ALL_SERVICES,
    bankAccount: { bank: '中国农业银行达州分行', accountName: body.name ?? `康复中心${institutionSequence}`, accountNumber: `622848${String(institutionSequence).padStart(10, '0')}` },
  });
  if (response.status !== 201) throw new Error(`institution not created: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; name: string };
}

export async function createUser(admin: Client, body: Record<string, unknown>) {
  const response = await admin.post('/api/v1/users', body);
  if (response.status !== 201) throw new Error(`user not created: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; token: string };
}

const personalAdmins = new WeakMap<TestApp, Promise<{ id: string; token: string }>>();

/**
 * The first personal admin of a test app: the bootstrap admin opens the door and its first personal
 * admin closes it, so every world and county of the app is set up by this one.
 */
export function firstAdmin(test: TestApp): Promise<{ id: string; token: string }> {
  let admin = personalAdmins.get(test);
  if (!admin) {
    admin = createUser(client(test.app, ADMIN_TOKEN), { name: '系统管理员甲', role: 'admin' });
    personalAdmins.set(test, admin);
  }
  return admin;
}

export async function createWorld(test: TestApp): Promise<World> {
  const firstAdminUser = await firstAdmin(test);
  const admin = client(test.app, firstAdminUser.token);
  const instA = await createInstitution(admin, { name: '阳光儿童康复中心' });
  const instB = await createInstitution(admin, { name: '星星雨康复学校', services: ['training', 'early_intervention', 'device'] });
  const instC = await createInstitution(admin, { name: '外县康复中心', regionCode: OTHER_REGION });
  const users = {
    admin: firstAdminUser,
    admin2: await createUser(admin, { name: '系统管理员乙', role: 'admin' }),
    auditor: await createUser(admin, { name: '孙审计', role: 'auditor' }),
    reviewer: await createUser(admin, { name: '王审核', role: 'reviewer', regionCode: REGION }),
    reviewer2: await createUser(admin, { name: '钱复核', role: 'reviewer', regionCode: REGION }),
    finance: await createUser(admin, { name: '赵出纳', role: 'finance', regionCode: REGION }),
    civilAffairs: await createUser(admin, { name: '钱民政', role: 'civil_affairs', regionCode: REGION }),
    civilAffairs2: await createUser(admin, { name: '李民政', role: 'civil_affairs', regionCode: REGION }),
    a: await createUser(admin, { name: '李会计', role: 'institution', institutionId: instA.id }),
    b: await createUser(admin, { name: '陈会计', role: 'institution', institutionId: instB.id }),
    c: await createUser(admin, { name: '孙会计', role: 'institution', institutionId: instC.id }),
    otherReviewer: await createUser(admin, { name: '周审核', role: 'reviewer', regionCode: OTHER_REGION }),
    otherFinance: await createUser(admin, { name: '吴出纳', role: 'finance', regionCode: OTHER_REGION }),
    otherCivilAffairs: await createUser(admin, { name: '郑民政', role: 'civil_affairs', regionCode: OTHER_REGION }),
  };
  const as = (name: keyof typeof users) => client(test.app, users[name].token);
  return {
    admin,
    admin2: as('admin2'),
    auditor: as('auditor'),
    reviewer: as('reviewer'),
    reviewer2: as('reviewer2'),
    finance: as('finance'),
    civilAffairs: as('civilAffairs'),
    civilAffairs2: as('civilAffairs2'),
    a: as('a'),
    b: as('b'),
    c: as('c'),
    otherReviewer: as('otherReviewer'),
    otherFinance: as('otherFinance'),
    otherCivilAffairs: as('otherCivilAffairs'),
    anonymous: client(test.app),
    instA,
    instB,
    instC,
    users,
  };
}

export function childBody(overrides: Partial<{ idNumber: string; name: string; regionCode: string; category: string; birthDate: string; sex: 'male' | 'female' }> = {}) {
  const regionCode = overrides.regionCode ?? REGION;
  return {
    idNumber: overrides.idNumber ?? idNumber(regionCode, overrides.birthDate ?? '2021-03-15', overrides.sex ?? 'male'),
    name: overrides.name ?? '张小明',
    regionCode,
    category: overrides.category ?? 'hearing',
    guardian: { name: '张大山', relation: 'father', phone: '13800000000' },
  };
}

/** Registers a child (as the reviewer of its region) and returns it. */
export async function registerChild(registrar: Client, overrides: Parameters<typeof childBody>[0] = {}) {
  const response = await registrar.post('/api/v1/children', childBody(overrides));
  if (response.status !== 201) throw new Error(`child not registered: ${JSON.stringify(response.body)}`);
  return response.body as { id: string; idNumber: string; regionCode: string; birthDate: string };
}

/** Registers a child and gets it an approved referral to an institution. */
export async function referredChild(
  world: World,
  options: { birthDate: string; category: string; services: string[]; year?: number; institutionId?: string; reviewer?: Client; regionCode?: string },
) {
  const reviewer = options.reviewer ?? world.reviewer;
  const child = await registerChild(reviewer, { birthDate: options.birthDate, category: options.category, regionCode: options.regionCode });
  const filed = await reviewer.post('/api/v1/applications', {
    childId: child.id,
    year: options.year ?? 2026,
    services: options.services,
    institutionId: options.institutionId ?? world.instA.id,
  });
  if (filed.status !== 201) throw new Error(`application not filed: ${JSON.stringify(filed.body)}`);
  const approved = await reviewer.post(`/api/v1/applications/${filed.body.id}/approve`, {});
  if (approved.status !== 200) throw new Error(`application not approved: ${JSON.stringify(approved.body)}`);
  return { child, application: approved.body as { id: string } };
}
