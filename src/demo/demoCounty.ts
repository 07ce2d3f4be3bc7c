import { randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { buildApp } from '../app.js';
import { SESSION_COOKIE } from '../auth/authenticator.js';
import { DEFAULT_AUTH_SETTINGS } from '../auth/settings.js';
import { createUsersService } from '../auth/users.service.js';
import { createBackupsService } from '../backups/backups.service.js';
import { checkCharacter } from '../domain/idNumber.js';
import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { App } from '../http/types.js';
import type { ServiceKeyring } from '../keys/serviceKeys.js';
import { seedCareAllowance } from './demoAllowance.js';
import { seedProtection, type ProtectionDemoAccounts } from './demoProtection.js';

// A believable county (通川区, 511702) for a first look at the service: three designated
// institutions, sixty children of every category and age band, applications in every state,
// claims in every state across last year and this one, a paid and an issued batch, a
// reconciliation; and the care allowance: forty beneficiaries, three monthly rolls issued (one
// settled with a failed transfer, one waiting for the bank's results), this month's roll under
// public notice with an objection, an exit with an overpayment, holds; and children in difficulty in
// two townships, cases in every state (demoProtection.ts). Everything is made through the service's own API with a clock that moves
// through the months, so the same rules, deadlines and audit apply as in real use.

export const DEMO_REGION = '511702';

/** A person of the demo county and how they sign in (printed once by npm run demo). */
export interface DemoAccount {
  name: string;
  username: string;
  password: string;
}

export interface DemoAccounts {
  admin: DemoAccount;
  /** The second admin, who confirms the first's creations and resets (two admins for an account). */
  admin2: DemoAccount;
  reviewer: DemoAccount;
  /** A second reviewer: issues the batches the first builds (security.md §2). */
  reviewer2: DemoAccount;
  finance: DemoAccount;
  civilAffairs: DemoAccount;
  /** A second civil-affairs clerk: approves enrolments and issues the rolls the first builds. */
  civilAffairs2: DemoAccount;
  /** The auditor (审计管理员): reads the whole trail and the access log, changes nothing. */
  auditor: DemoAccount;
  institutions: (DemoAccount & { institution: string })[];
  /** Children in difficulty: the townships' clerks and the county's departments. */
  protection: ProtectionDemoAccounts;
}

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN_NAMES = ['子涵', '浩然', '欣怡', '宇轩', '梓萱', '一诺', '俊熙', '雨桐', '思远', '可馨', '明轩', '佳怡', '皓宇', '诗琪', '天佑'];
const CATEGORIES = ['hearing', 'autism', 'intellectual', 'speech', 'limb', 'vision'] as const;
const RELATIONS = ['mother', 'father', 'grandmother', 'grandfather'] as const;

/** A one-page PDF standing for a clerk's scan in the demo (evidence is told by its content). */
const DEMO_SCAN = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Child {
  id: string;
  name: string;
  category: (typeof CATEGORIES)[number];
  ageThisYear: number;
  registeredOn: string;
}

interface Referred {
  child: Child;
  application: string;
  institution: number;
  services: string[];
}

/** A password for a demo account: meets the policy, different every time, easy to read off a screen. */
function demoPassword(): string {
  return `Demo-${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x')}-7`;
}

/**
 * Seeds the county and returns a username and password for each role. Into an empty database it
 * opens the door itself; `bootstrapToken` names the bootstrap admin of a database that has one already.
 */
export async function seedDemoCounty(db: Database, now: Date, options: { bootstrapToken?: string; keyring: ServiceKeyring }): Promise<DemoAccounts> {
  let clock = new Date(now);
  const at = (date: string) => {
    clock = new Date(`${date}T10:00:00+08:00`);
  };
  // Seeding moves the clock over a year and a half: its sessions must outlast that; the passwords
  // are hashed as the service hashes them.
  const app: App = await buildApp({
    db,
    // The key the demo's service then serves with: what is sealed now must open there.
    keyring: options.keyring,
    clock: () => clock,
    auth: { ...DEFAULT_AUTH_SETTINGS, requireSecondFactor: 'none', sessionIdleMinutes: 2 * 366 * 24 * 60, sessionMaxHours: 2 * 366 * 24 },
    backups: createBackupsService({ db, snapshot: null, dir: 'unused', keep: 1 }),
  });
  await app.ready();
  try {
    // A credential is a bearer token (the bootstrap admin's) or a session cookie with its CSRF token.
    const csrfOf = new Map<string, string>();
    const call = async <T = any>(credential: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, expected = [200, 201]): Promise<T> => {
      const csrf = csrfOf.get(credential);
      const headers: Record<string, string> = csrf ? { cookie: `${SESSION_COOKIE}=${credential}`, ...(method === 'GET' ? {} : { 'x-csrf-token': csrf }) } : { authorization: `Bearer ${credential}` };
      const response = await app.inject({ method, url: `/api/v1${url}`, headers, ...(body === undefined ? {} : { payload: body as object }) });
      if (!expected.includes(response.statusCode)) throw new Error(`demo seeding: ${method} ${url} answered ${response.statusCode} ${response.body.slice(0, 400)}`);
      return response.json() as T;
    };
    /** A scan attached to a claim, as an institution's clerk uploads it (a one-page PDF). */
    const attach = async (credential: string, claimId: string, kind: string, fileName: string) => {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/claims/${claimId}/attachments?kind=${kind}&fileName=${encodeURIComponent(fileName)}`,
        headers: { cookie: `${SESSION_COOKIE}=${credential}`, 'x-csrf-token': csrfOf.get(credential)!, 'content-type': 'application/pdf' },
        payload: DEMO_SCAN,
      });
      if (response.statusCode !== 201) throw new Error(`demo seeding: attaching ${fileName} answered ${response.statusCode} ${response.body.slice(0, 400)}`);
    };
    const publicCall = async <T = any>(url: string, body: object) => {
      const response = await app.inject({ method: 'POST', url: `/api/v1${url}`, payload: body });
      if (response.statusCode !== 200) throw new Error(`demo seeding: POST ${url} answered ${response.statusCode} ${response.body.slice(0, 400)}`);
      return { body: response.json() as T, cookie: response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value };
    };
    /** An account as an office makes one: created, confirmed by the other admin where needed, activated with a password, signed in. */
    const open = async (creator: string, confirmer: string | null, body: Record<string, unknown>): Promise<{ account: DemoAccount; session: string }> => {
      const created = await call<{ id: string; username: string; activationCode: string; pending: unknown }>(creator, 'POST', '/users', body);
      if (created.pending && confirmer) await call(confirmer, 'POST', `/users/${created.id}/confirm`, {});
      const password = demoPassword();
      await publicCall('/auth/activate', { username: created.username, activationCode: created.activationCode, password });
      const signedIn = await publicCall<{ csrfToken: string }>('/auth/sign-in', { username: created.username, password });
      csrfOf.set(signedIn.cookie!, signedIn.body.csrfToken);
      return { account: { name: String(body.name), username: created.username, password }, session: signedIn.cookie! };
    };

    const thisYear = Number(chinaDate(now).slice(0, 4));
    const lastYear = thisYear - 1;
    const thisMonth = Number(chinaDate(now).slice(5, 7));
    const month = (year: number, number: number) => `${year}-${String(number).padStart(2, '0')}`;

    // The door, opened once: two personal admins, and the first one's activation closes it. The
    // accounts are opened today, so that no password is older than PASSWORD_MAX_AGE_DAYS; what
    // they do is dated by the clock as it moves below.
    const bootstrapToken = options.bootstrapToken ?? randomBytes(24).toString('base64url');
    if (!options.bootstrapToken) await createUsersService({ db, keyring: options.keyring }).bootstrapAdmin(bootstrapToken, clock);
    const secondCreated = await call<{ username: string; activationCode: string }>(bootstrapToken, 'POST', '/users', { name: '县残联副管理员', role: 'admin', username: 'admin2' });
    const first = await open(bootstrapToken, null, { name: '县残联系统管理员', role: 'admin', username: 'admin' });
    const admin2Password = demoPassword();
    await publicCall('/auth/activate', { username: secondCreated.username, activationCode: secondCreated.activationCode, password: admin2Password });
    const admin2Session = await publicCall<{ csrfToken: string }>('/auth/sign-in', { username: secondCreated.username, password: admin2Password });
    csrfOf.set(admin2Session.cookie!, admin2Session.body.csrfToken);
    const admin = first.session;
    const admin2 = admin2Session.cookie!;
    // Every other account: the first admin opens it, the second confirms.
    const person = (body: Record<string, unknown>) => open(admin, admin2, body);
    await call(admin, 'PUT', `/regions/${DEMO_REGION}/settings`, {
      reviewWorkingDays: 5,
      supervisionPhone: '0818-2123456',
      // The offices the county's documents name as their issuers and seals.
      authorities: { disabledPersonsFederation: '达州市通川区残疾人联合会', civilAffairs: '达州市通川区民政局', finance: '达州市通川区财政局' },
    });

    const institutionSpecs = [
      { code: 'TC-001', name: '达州市通川区阳光儿童康复中心', services: ['training', 'early_intervention', 'device'], user: '李会计', bank: '中国农业银行达州通川支行' },
      { code: 'TC-002', name: '通川区星星雨特殊教育康复学校', services: ['training', 'early_intervention', 'device'], user: '陈老师', bank: '四川农信通川区联社' },
      { code: 'TC-003', name: '达州市中心医院儿童康复科', services: ['cochlear_implant', 'limb_surgery', 'device', 'training'], user: '周医生', bank: '中国工商银行达州分行' },
    ];
    const institutions: { id: string; name: string; user: string; token: string; account: DemoAccount }[] = [];
    for (const [index, spec] of institutionSpecs.entries()) {
      const created = await call<{ id: string }>(admin, 'POST', '/institutions', {
        code: spec.code,
        name: spec.name,
        regionCode: DEMO_REGION,
        services: spec.services,
        bankAccount: { bank: spec.bank, accountName: spec.name, accountNumber: `62284819000${String(index + 1).padStart(8, '0')}` },
      });
      const user = await person({ name: spec.user, role: 'institution', institutionId: created.id });
      institutions.push({ id: created.id, name: spec.name, user: spec.user, token: user.session, account: user.account });
    }
    const reviewerAccount = await person({ name: '王审核', role: 'reviewer', regionCode: DEMO_REGION });
    const financeAccount = await person({ name: '赵出纳', role: 'finance', regionCode: DEMO_REGION });
    const civilAffairsAccount = await person({ name: '钱民政', role: 'civil_affairs', regionCode: DEMO_REGION });
    // Two people per desk: the second clerk approves what the first (or the reviewer) enrolled and
    // issues the rolls the first builds.
    const civilAffairs2Account = await person({ name: '李民政', role: 'civil_affairs', regionCode: DEMO_REGION });
    const reviewer = reviewerAccount.session;
    const finance = financeAccount.session;
    // Nobody moves money alone: a second reviewer issues the batches the first builds.
    const reviewer2Account = await person({ name: '钱复核', role: 'reviewer', regionCode: DEMO_REGION });
    const reviewer2 = reviewer2Account.session;
    const auditorAccount = await person({ name: '孙审计', role: 'auditor' });

    // Sixty children: every category, ages 1 to 16 this year; most registered by the 残联, some
    // by the institution that serves them.
    const children: Child[] = [];
    for (let index = 0; index < 60; index++) {
      const category = CATEGORIES[index % CATEGORIES.length]!;
      const ageThisYear = category === 'limb' ? 2 + (index % 6) : 1 + ((index * 7) % 13) + (index % 20 === 19 ? 3 : 0);
      const birthDate = `${thisYear - ageThisYear}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + ((index * 3) % 28)).padStart(2, '0')}`;
      const body = `${DEMO_REGION}${birthDate.replaceAll('-', '')}${String(100 + index).padStart(3, '0')}`;
      const idNumber = body + checkCharacter(body);
      // The last child bears a long name (as names written in Uyghur or Yi order are), so that the
      // pages are seen with the longest values they must hold.
      const name = index === 59 ? '阿卜杜热合曼·买买提' : `${SURNAMES[index % SURNAMES.length]}${GIVEN_NAMES[(index * 5) % GIVEN_NAMES.length]}`;
      const registrar = index % 10 === 3 ? institutions[index % 2]!.token : reviewer;
      // Registered early last year, or a month after birth for the youngest.
      const monthAfterBirth = chinaDate(new Date(Date.parse(`${birthDate}T00:00:00Z`) + 31 * 86_400_000));
      at(monthAfterBirth > `${lastYear}-01-05` ? monthAfterBirth : `${lastYear}-01-05`);
      const child = await call<{ id: string }>(registrar, 'POST', '/children', {
        idNumber,
        name,
        regionCode: DEMO_REGION,
        category,
        certificateNo: index % 9 === 8 ? undefined : `${idNumber}${category === 'autism' ? '6' : '4'}${1 + (index % 4)}`,
        guardian: { name: `${SURNAMES[index % SURNAMES.length]}${['建国', '秀英', '志强', '丽华'][index % 4]}`, relation: RELATIONS[index % 4], phone: `1390818${String(1000 + index).padStart(4, '0')}` },
      });
      children.push({ id: child.id, name, category, ageThisYear, registeredOn: chinaDate(clock) });
    }

    const servicesFor = (child: Child): { institution: number; services: string[] } => {
      if (child.category === 'hearing' && child.ageThisYear <= 6) return { institution: 2, services: ['cochlear_implant', 'training'] };
      if (child.category === 'limb') return { institution: 2, services: ['limb_surgery', 'device', 'training'] };
      if (child.ageThisYear <= 6 && child.category !== 'vision') return { institution: 1, services: ['early_intervention', 'device'] };
      return { institution: 0, services: child.category === 'hearing' ? ['training', 'device'] : ['training'] };
    };
    const refer = async (child: Child, year: number, receivedOn: string) => {
      const plan = servicesFor(child);
      const filed = await call<{ id: string }>(reviewer, 'POST', '/applications', { childId: child.id, year, services: plan.services, institutionId: institutions[plan.institution]!.id, receivedOn });
      await call(reviewer, 'POST', `/applications/${filed.id}/approve`, {});
      return { application: filed.id, ...plan };
    };

    // Last year: thirty children referred in February, a season of claims, one batch paid.
    at(`${lastYear}-02-10`);
    const referredLastYear: Referred[] = [];
    for (const child of children.filter((candidate) => candidate.registeredOn <= `${lastYear}-02-01`).slice(0, 30)) {
      referredLastYear.push({ child, ...(await refer(child, lastYear, `${lastYear}-02-03`)) });
    }
    let claimSequence = 0;
    const claim = async (institution: number, body: Record<string, unknown>) => {
      // Every tenth claim carries a reference as long as the API takes one (64 characters, as an
      // institution's own system may write them), the others the short form.
      const sequence = String(++claimSequence).padStart(5, '0');
      const externalRef = claimSequence % 10 === 0 ? `${institutionSpecs[institution]!.code}-${chinaDate(clock).replaceAll('-', '')}-HIS-REF-${sequence}`.padEnd(64, '0') : `${institutionSpecs[institution]!.code}-${sequence}`;
      const submitted = await call<{ id: string; status: string }>(institutions[institution]!.token, 'POST', '/claims', { externalRef, reviewedBy: institutionSpecs[institution]!.user, ...body });
      return { ...submitted, externalRef, institution };
    };
    // A reviewer's lower figure: 500.00 less than the rules give (each such child has one claim
    // in the year, so its estimate is what the rules give), with the note the rules require.
    const approveLess = async (claimId: string, note: string) => {
      const stored = await call<{ estimate: { subsidy: string } }>(reviewer, 'GET', `/claims/${claimId}`);
      const lower = new Decimal(stored.estimate.subsidy).minus(500);
      await call(reviewer, 'POST', `/claims/${claimId}/approve`, lower.greaterThan(0) ? { amount: lower.toFixed(2), note } : {});
    };
    const periodClaim = (referred: Referred, year: number, from: number, to: number, perMonth: number) => {
      const service = referred.services.includes('early_intervention') ? 'early_intervention' : 'training';
      return claim(referred.institution, { childId: referred.child.id, service, periodFrom: month(year, from), periodTo: month(year, to), grossCost: `${perMonth * (to - from + 1)}.00` });
    };
    at(`${lastYear}-07-06`);
    const lastYearClaims = [];
    for (const [index, referred] of referredLastYear.entries()) {
      if (!referred.services.some((service) => service === 'training' || service === 'early_intervention')) continue;
      lastYearClaims.push(await periodClaim(referred, lastYear, 1 + (index % 3), 6, 1600 + (index % 5) * 200));
    }
    at(`${lastYear}-07-09`);
    for (const [index, submitted] of lastYearClaims.entries()) {
      if (index % 7 === 5) await approveLess(submitted.id, '部分课时无签到记录，按实际核减');
      else await call(reviewer, 'POST', '/claims/approve', { claimIds: [submitted.id] });
    }
    at(`${lastYear}-07-20`);
    const lastYearBatch = (await call<{ batches: { id: string; total: string }[] }>(reviewer, 'POST', '/batches', { institutionId: institutions[0]!.id })).batches[0]!;
    await call(reviewer2, 'POST', `/batches/${lastYearBatch.id}/issue`, {});
    at(`${lastYear}-08-05`);
    await call(finance, 'POST', `/batches/${lastYearBatch.id}/payment`, { voucherNo: `CZ${lastYear}-0805-01`, paidAt: `${lastYear}-08-05`, amount: lastYearBatch.total });
    at(`${lastYear}-12-15`);
    // The institution's own books: most lines agree, one amount differs, one claim was never sent.
    const ownClaims = lastYearClaims.filter((submitted) => submitted.institution === 0);
    const lines = [];
    for (const [index, submitted] of ownClaims.entries()) {
      const stored = await call<{ approvedAmount: string }>(institutions[0]!.token, 'GET', `/claims/${submitted.id}`);
      if (index === ownClaims.length - 1) continue;
      lines.push({ externalRef: submitted.externalRef, amount: index === 1 ? '9999.00' : stored.approvedAmount });
    }
    lines.push({ externalRef: `${institutionSpecs[0]!.code}-NOT-SENT`, amount: '1200.00' });
    await call(institutions[0]!.token, 'POST', '/reconciliations', { institutionId: institutions[0]!.id, from: month(lastYear, 1), to: month(lastYear, 12), lines });

    // This year: referrals in January, a few applications pending (some overdue) or rejected.
    at(`${thisYear}-01-12`);
    const referredThisYear: Referred[] = [];
    for (const child of children.slice(0, 46)) referredThisYear.push({ child, ...(await refer(child, thisYear, `${thisYear}-01-06`)) });
    clock = new Date(now);
    const today = chinaDate(now);
    const daysAgo = (days: number) => chinaDate(new Date(now.getTime() - days * 86_400_000));
    for (const [index, child] of children.slice(46, 54).entries()) {
      const plan = servicesFor(child);
      const filed = await call<{ id: string }>(reviewer, 'POST', '/applications', {
        childId: child.id,
        year: thisYear,
        services: plan.services,
        institutionId: institutions[plan.institution]!.id,
        receivedOn: index < 3 ? daysAgo(20 + index) : index < 6 ? daysAgo(index - 3) : today,
      });
      if (index >= 6) await call(reviewer, 'POST', `/applications/${filed.id}/reject`, { reason: index === 6 ? '户籍不在本县，请向户籍地残联申请' : '残疾证已过期，请换证后重新申请' });
    }

    // This year's claims, in every state.
    const lastDeliveredMonth = Math.max(2, thisMonth - 1);
    at(`${thisYear}-${String(lastDeliveredMonth).padStart(2, '0')}-03`);
    const thisYearClaims = [];
    for (const [index, referred] of referredThisYear.entries()) {
      if (!referred.services.some((service) => service === 'training' || service === 'early_intervention')) continue;
      thisYearClaims.push({ index, claim: await periodClaim(referred, thisYear, 1, Math.min(lastDeliveredMonth - 1, 1 + (index % 4)), 1500 + (index % 4) * 300) });
    }
    for (const referred of referredThisYear.filter((entry) => entry.services.includes('cochlear_implant')).slice(0, 2)) {
      thisYearClaims.push({
        index: -1,
        claim: await claim(referred.institution, {
          childId: referred.child.id,
          service: 'cochlear_implant',
          serviceDate: `${thisYear}-02-18`,
          grossCost: '168000.00',
          deductions: { basicMedicalInsurance: '98000.00', criticalIllnessInsurance: '42000.00', medicalAid: '8000.00' },
        }),
      });
    }
    at(`${thisYear}-${String(lastDeliveredMonth).padStart(2, '0')}-06`);
    for (const [position, { claim: submitted }] of thisYearClaims.entries()) {
      const kind = position % 8;
      if (kind <= 3) await call(reviewer, 'POST', `/claims/${submitted.id}/approve`, {});
      else if (kind === 4) await approveLess(submitted.id, '超出机构收费标准部分不予救助');
      else if (kind === 5) {
        await call(reviewer, 'POST', `/claims/${submitted.id}/return`, { reason: '缺少训练记录签字，请补齐后重新提交' });
        // The institution has already attached the signed attendance scan to its correction.
        await attach(institutions[submitted.institution]!.token, submitted.id, 'attendance', '训练考勤表（家长签字）.pdf');
      }
      else if (kind === 6 && position % 16 === 6) await call(reviewer, 'POST', `/claims/${submitted.id}/reject`, { reason: '该期间儿童在外地就医，未在本机构训练' });
    }
    // The second institution's approved claims go into a batch, issued and waiting for payment.
    const issued = (await call<{ batches: { id: string }[] }>(reviewer, 'POST', '/batches', { institutionId: institutions[1]!.id })).batches[0];
    if (issued) await call(reviewer2, 'POST', `/batches/${issued.id}/issue`, {});
    // One withdrawn by its institution; the rest of the undecided ones wait in the queue, the
    // oldest already past their due date.
    const stillSubmitted = thisYearClaims.find((entry, position) => position % 8 === 7);
    if (stillSubmitted) await call(institutions[stillSubmitted.claim.institution]!.token, 'POST', `/claims/${stillSubmitted.claim.id}/withdraw`, {});

    // Two devices delivered this week: in the queue, not yet due.
    clock = new Date(now);
    for (const referred of referredThisYear.filter((entry) => entry.services.includes('device')).slice(0, 2)) {
      await claim(referred.institution, {
        childId: referred.child.id,
        service: 'device',
        deviceKind: referred.child.category === 'limb' ? 'prosthesis_orthosis' : 'mobility_aid',
        serviceDate: daysAgo(2),
        grossCost: '1860.00',
      });
    }

    await seedCareAllowance({ call, at, admin, reviewer, finance, civilAffairs: civilAffairsAccount.session, civilAffairs2: civilAffairs2Account.session, region: DEMO_REGION, children, now });
    const protection = await seedProtection({ call, at, person, admin, reviewer, civilAffairs: civilAffairsAccount.session, civilAffairs2: civilAffairs2Account.session, finance, region: DEMO_REGION, now });

    return {
      admin: first.account,
      admin2: { name: '县残联副管理员', username: secondCreated.username, password: admin2Password },
      reviewer: reviewerAccount.account,
      reviewer2: reviewer2Account.account,
      finance: financeAccount.account,
      civilAffairs: civilAffairsAccount.account,
      civilAffairs2: civilAffairs2Account.account,
      auditor: auditorAccount.account,
      institutions: institutions.map((institution) => ({ ...institution.account, institution: institution.name })),
      protection,
    };
  } finally {
    await app.close();
  }
}
