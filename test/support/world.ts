import { chinaDate } from '../../src/domain/chinaTime.js';
import { ADMIN_TOKEN, client, clockOf, idNumber, signIn, strongPassword, type Client, type TestApp } from './testApp.js';

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
    CreatedUser
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

export interface CreatedUser {
  id: string;
  username: string;
  password: string;
  /** The bearer API token of an institution's account; undefined for the other roles. */
  token: string | undefined;
  /** Signed in: an institution through its API token, every other role through a session. */
  client: Client;
  /** Everything secret about the account (password, token or session cookie and CSRF token). */
  secrets: string[];
}

/**
 * Makes an account as an office does (security.md §1): the admin creates it and gets an activation
 * code, a second admin confirms it once a personal admin has activated (two admins for an account),
 * the owner activates it with a password of their own and signs in. An institution's own system
 * then works with an API token made in that session (for 366 days, the most allowed); every other
 * role works in a session, as people in the console do.
 */
export async function createUser(admin: Client, body: Record<string, unknown>, confirmer?: Client): Promise<CreatedUser> {
  const response = await admin.post('/api/v1/users', body);
  if (response.status !== 201) throw new Error(`user not created: ${JSON.stringify(response.body)}`);
  if (response.body.pending) {
    // Unless told, the office's other personal admin confirms (personalAdmins below).
    const second = confirmer ?? (await otherAdminOf(admin));
    if (!second) throw new Error(`user ${response.body.username} waits for a second admin: pass one to confirm it`);
    const confirmed = await second.post(`/api/v1/users/${response.body.id}/confirm`);
    if (confirmed.status !== 200) throw new Error(`user not confirmed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  return activateUser(admin.app, response.body);
}

/** The owner's part: activation with a chosen password, sign-in, and for an institution its API token. */
export async function activateUser(app: Client['app'], created: { id: string; username: string; role: string; activationCode: string }): Promise<CreatedUser> {
  const password = strongPassword();
  const activated = await client(app).post('/api/v1/auth/activate', { username: created.username, activationCode: created.activationCode, password });
  if (activated.status !== 200) throw new Error(`user not activated: ${activated.status} ${JSON.stringify(activated.body)}`);
  const session = await signIn(app, created.username, password);
  const secrets = [password, session.session!.cookie, session.session!.csrfToken];
  if (created.role !== 'institution') return { id: created.id, username: created.username, password, token: undefined, client: session, secrets };
  const today = chinaDate(clockOf(app).now());
  const made = await session.post('/api/v1/me/tokens', { name: '机构系统', expiresOn: new Date(Date.parse(`${today}T00:00:00Z`) + 366 * 86_400_000).toISOString().slice(0, 10) });
  if (made.status !== 201) throw new Error(`API token not made: ${made.status} ${JSON.stringify(made.body)}`);
  return { id: created.id, username: created.username, password, token: made.body.token, client: client(app, made.body.token), secrets: [...secrets, made.body.token] };
}

export interface OfficeAdmins {
  admin: CreatedUser;
  admin2: CreatedUser;
  /** Makes an account as the office's two admins do: the first asks, the second confirms. */
  createUser(body: Record<string, unknown>): Promise<CreatedUser>;
}

const officeAdmins = new WeakMap<TestApp, Promise<OfficeAdmins>>();
const adminsOfApp = new WeakMap<Client['app'], OfficeAdmins>();

/** The personal admin of the app's office who is not `admin` (the one who confirms what `admin` asks for). */
async function otherAdminOf(admin: Client): Promise<Client | undefined> {
  const office = adminsOfApp.get(admin.app);
  if (!office) return undefined;
  return admin.session?.cookie === office.admin.client.session?.cookie ? office.admin2.client : office.admin.client;
}

/**
 * The two personal admins of a test app, made once: the bootstrap admin opens both accounts (while
 * it is the only admin its creations need no confirmation), and the first activation closes its
 * door, so every world and county of the app is set up by these two.
 */
export function personalAdmins(test: TestApp): Promise<OfficeAdmins> {
  let admins = officeAdmins.get(test);
  if (!admins) {
    admins = (async () => {
      const bootstrap = client(test.app, ADMIN_TOKEN);
      const opened = async (body: Record<string, unknown>) => {
        const response = await bootstrap.post('/api/v1/users', body);
        if (response.status !== 201) throw new Error(`admin not created: ${JSON.stringify(response.body)}`);
        return response.body;
      };
      const first = await opened({ name: '系统管理员甲', role: 'admin' });
      const second = await opened({ name: '系统管理员乙', role: 'admin' });
      const admin = await activateUser(test.app, first);
      const admin2 = await activateUser(test.app, second);
      const office: OfficeAdmins = { admin, admin2, createUser: (body) => createUser(admin.client, body, admin2.client) };
      adminsOfApp.set(test.app, office);
      return office;
    })();
    officeAdmins.set(test, admins);
  }
  return admins;
}

export async function createWorld(test: TestApp): Promise<World> {
  const admins = await personalAdmins(test);
  const admin = admins.admin.client;
  const instA = await createInstitution(admin, { name: '阳光儿童康复中心' });
  const instB = await createInstitution(admin, { name: '星星雨康复学校', services: ['training', 'early_intervention', 'device'] });
  const instC = await createInstitution(admin, { name: '外县康复中心', regionCode: OTHER_REGION });
  const users = {
    admin: admins.admin,
    admin2: admins.admin2,
    auditor: await admins.createUser({ name: '孙审计', role: 'auditor' }),
    reviewer: await admins.createUser({ name: '王审核', role: 'reviewer', regionCode: REGION }),
    reviewer2: await admins.createUser({ name: '钱复核', role: 'reviewer', regionCode: REGION }),
    finance: await admins.createUser({ name: '赵出纳', role: 'finance', regionCode: REGION }),
    civilAffairs: await admins.createUser({ name: '钱民政', role: 'civil_affairs', regionCode: REGION }),
    civilAffairs2: await admins.createUser({ name: '李民政', role: 'civil_affairs', regionCode: REGION }),
    a: await admins.createUser({ name: '李会计', role: 'institution', institutionId: instA.id }),
    b: await admins.createUser({ name: '陈会计', role: 'institution', institutionId: instB.id }),
    c: await admins.createUser({ name: '孙会计', role: 'institution', institutionId: instC.id }),
    otherReviewer: await admins.createUser({ name: '周审核', role: 'reviewer', regionCode: OTHER_REGION }),
    otherFinance: await admins.createUser({ name: '吴出纳', role: 'finance', regionCode: OTHER_REGION }),
    otherCivilAffairs: await admins.createUser({ name: '郑民政', role: 'civil_affairs', regionCode: OTHER_REGION }),
  };
  const as = (name: keyof typeof users) => users[name].client;
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

/**
 * A policy version in force from its date: one personal admin adds it and the other approves it
 * (a version waits for a second admin's review once personal admins run the service).
 */
export async function approvedPolicy(admin: Client, secondAdmin: Client, body: Record<string, unknown>) {
  const created = await admin.post('/api/v1/policies', body);
  if (created.status !== 201 || created.body.status !== 'pending') return created;
  const approved = await secondAdmin.post(`/api/v1/policies/${created.body.id}/approve`, {});
  if (approved.status !== 200) throw new Error(`policy not approved: ${approved.status} ${JSON.stringify(approved.body)}`);
  return { ...created, body: approved.body };
}
