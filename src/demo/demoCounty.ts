import { randomBytes } from 'node:crypto';
import { Decimal } from 'decimal.js';
import { buildApp } from '../app.js';
import { createUsersService } from '../auth/users.service.js';
import { createBackupsService } from '../backups/backups.service.js';
import { checkCharacter } from '../children/idNumber.js';
import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import type { App } from '../http/types.js';
import { ephemeralKeyring, type ServiceKeyring } from '../keys/serviceKeys.js';

// A believable county (通川区, 511702) for a first look at the service: three designated
// institutions, sixty children of every category and age band, applications in every state,
// claims in every state across last year and this one, a paid and an issued batch, a
// reconciliation; and the care allowance: forty beneficiaries, three monthly rolls issued (one
// settled with a failed transfer, one waiting for the bank's results), this month's roll under
// public notice with an objection, an exit with an overpayment, holds. Everything is made through the service's own API with a clock that moves
// through the months, so the same rules, deadlines and audit apply as in real use.

export const DEMO_REGION = '511702';

export interface DemoTokens {
  admin: string;
  reviewer: string;
  /** A second reviewer: issues the batches the first builds (security.md §2). */
  reviewer2: string;
  finance: string;
  civilAffairs: string;
  /** A second civil-affairs clerk: approves enrolments and issues the rolls the first builds. */
  civilAffairs2: string;
  auditor: string;
  institutions: { name: string; user: string; token: string }[];
}

const SURNAMES = ['张', '王', '李', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN_NAMES = ['子涵', '浩然', '欣怡', '宇轩', '梓萱', '一诺', '俊熙', '雨桐', '思远', '可馨', '明轩', '佳怡', '皓宇', '诗琪', '天佑'];
const CATEGORIES = ['hearing', 'autism', 'intellectual', 'speech', 'limb', 'vision'] as const;
const RELATIONS = ['mother', 'father', 'grandmother', 'grandfather'] as const;

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

/**
 * Seeds the county and returns a sign-in token for each role. Into an empty database it opens the
 * door itself; `bootstrapToken` names the bootstrap admin of a database that has one already.
 */
export async function seedDemoCounty(db: Database, now: Date, options: { bootstrapToken?: string; keyring?: ServiceKeyring } = {}): Promise<DemoTokens> {
  let clock = new Date(now);
  const at = (date: string) => {
    clock = new Date(`${date}T10:00:00+08:00`);
  };
  const app: App = await buildApp({ db, keyring: options.keyring ?? ephemeralKeyring(), clock: () => clock, backups: createBackupsService({ db, snapshot: null, dir: 'unused', keep: 1 }) });
  await app.ready();
  try {
    const call = async <T = any>(token: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown, expected = [200, 201]): Promise<T> => {
      const response = await app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(body === undefined ? {} : { payload: body as object }) });
      if (!expected.includes(response.statusCode)) throw new Error(`demo seeding: ${method} ${url} answered ${response.statusCode} ${response.body.slice(0, 400)}`);
      return response.json() as T;
    };

    const thisYear = Number(chinaDate(now).slice(0, 4));
    const lastYear = thisYear - 1;
    const thisMonth = Number(chinaDate(now).slice(5, 7));
    const month = (year: number, number: number) => `${year}-${String(number).padStart(2, '0')}`;

    // The door, opened once: a personal admin closes it.
    at(`${lastYear}-01-05`);
    const bootstrapToken = options.bootstrapToken ?? randomBytes(24).toString('base64url');
    if (!options.bootstrapToken) await createUsersService({ db }).bootstrapAdmin(bootstrapToken);
    const admin = (await call<{ token: string }>(bootstrapToken, 'POST', '/users', { name: '县残联系统管理员', role: 'admin' })).token;
    await call(admin, 'PUT', `/regions/${DEMO_REGION}/settings`, { reviewWorkingDays: 5, supervisionPhone: '0818-2123456' });

    const institutionSpecs = [
      { code: 'TC-001', name: '达州市通川区阳光儿童康复中心', services: ['training', 'early_intervention', 'device'], user: '李会计', bank: '中国农业银行达州通川支行' },
      { code: 'TC-002', name: '通川区星星雨特殊教育康复学校', services: ['training', 'early_intervention', 'device'], user: '陈老师', bank: '四川农信通川区联社' },
      { code: 'TC-003', name: '达州市中心医院儿童康复科', services: ['cochlear_implant', 'limb_surgery', 'device', 'training'], user: '周医生', bank: '中国工商银行达州分行' },
    ];
    const institutions: { id: string; name: string; user: string; token: string }[] = [];
    for (const [index, spec] of institutionSpecs.entries()) {
      const created = await call<{ id: string }>(admin, 'POST', '/institutions', {
        code: spec.code,
        name: spec.name,
        regionCode: DEMO_REGION,
        services: spec.services,
        bankAccount: { bank: spec.bank, accountName: spec.name, accountNumber: `62284819000${String(index + 1).padStart(8, '0')}` },
      });
      const user = await call<{ token: string }>(admin, 'POST', '/users', { name: spec.user, role: 'institution', institutionId: created.id });
      institutions.push({ id: created.id, name: spec.name, user: spec.user, token: user.token });
    }
    const reviewer = (await call<{ token: string }>(admin, 'POST', '/users', { name: '王审核', role: 'reviewer', regionCode: DEMO_REGION })).token;
    // Nobody moves money alone: a second reviewer issues the batches the first builds.
    const reviewer2 = (await call<{ token: string }>(admin, 'POST', '/users', { name: '钱复核', role: 'reviewer', regionCode: DEMO_REGION })).token;
    const auditor = (await call<{ token: string }>(admin, 'POST', '/users', { name: '孙审计', role: 'auditor' })).token;
    const finance = (await call<{ token: string }>(admin, 'POST', '/users', { name: '赵出纳', role: 'finance', regionCode: DEMO_REGION })).token;

    // Sixty children: every category, ages 1 to 16 this year; most registered by the 残联, some
    // by the institution that serves them.
    const children: Child[] = [];
    for (let index = 0; index < 60; index++) {
      const category = CATEGORIES[index % CATEGORIES.length]!;
      const ageThisYear = category === 'limb' ? 2 + (index % 6) : 1 + ((index * 7) % 13) + (index % 20 === 19 ? 3 : 0);
      const birthDate = `${thisYear - ageThisYear}-${String(1 + (index % 12)).padStart(2, '0')}-${String(1 + ((index * 3) % 28)).padStart(2, '0')}`;
      const body = `${DEMO_REGION}${birthDate.replaceAll('-', '')}${String(100 + index).padStart(3, '0')}`;
      const idNumber = body + checkCharacter(body);
      const name = `${SURNAMES[index % SURNAMES.length]}${GIVEN_NAMES[(index * 5) % GIVEN_NAMES.length]}`;
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
      const externalRef = `${institutionSpecs[institution]!.code}-${String(++claimSequence).padStart(5, '0')}`;
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
      else if (kind === 5) await call(reviewer, 'POST', `/claims/${submitted.id}/return`, { reason: '缺少训练记录签字，请补齐后重新提交' });
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

    const { civilAffairs, civilAffairs2 } = await seedCareAllowance({ call, at, admin, reviewer, finance, children, now });

    return {
      admin,
      reviewer,
      reviewer2,
      finance,
      civilAffairs,
      civilAffairs2,
      auditor,
      institutions: institutions.map((institution) => ({ name: institution.name, user: institution.user, token: institution.token })),
    };
  } finally {
    await app.close();
  }
}

/**
 * The care allowance of the demo county: certified children enrolled over the past year and a
 * half, rolls for the last three months (the first settled with one failed transfer whose account
 * was then changed, the second settled, the third issued and waiting for the bank), this month's
 * roll under notice with an objection, one exit that leaves an overpayment partly recovered, one
 * manual hold, and this year's budgets.
 */
async function seedCareAllowance(scene: {
  call: <T = any>(token: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;
  at: (date: string) => void;
  admin: string;
  reviewer: string;
  finance: string;
  children: Child[];
  now: Date;
}): Promise<{ civilAffairs: string; civilAffairs2: string }> {
  const { call, at, admin, reviewer, finance, now } = scene;
  const today = chinaDate(now);
  const monthsAgo = (n: number) => {
    const index = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1 - n;
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  };
  at(`${monthsAgo(4)}-05`);
  const civilAffairs = (await call<{ token: string }>(admin, 'POST', '/users', { name: '钱民政', role: 'civil_affairs', regionCode: DEMO_REGION })).token;
  // Two people per desk: the second clerk approves what the first (or the reviewer) enrolled and
  // issues the rolls the first builds.
  const civilAffairs2 = (await call<{ token: string }>(admin, 'POST', '/users', { name: '李民政', role: 'civil_affairs', regionCode: DEMO_REGION })).token;
  await call(admin, 'PUT', `/regions/${DEMO_REGION}/budgets/${today.slice(0, 4)}`, { rehabilitation: '4600000.00', allowanceCounty: '20000.00', allowanceHardship: '6000.00' });
  const communities = ['朝阳社区', '西城社区', '金龙村', '罗江社区', '南外社区'];
  const certified = await Promise.all(scene.children.map((child) => call<{ id: string; certificateNo: string | null; name: string; birthDate: string }>(reviewer, 'GET', `/children/${child.id}`)));
  const beneficiaries: { id: string; name: string }[] = [];
  const eligible = certified.filter((candidate) => candidate.certificateNo && candidate.birthDate < `${monthsAgo(4)}-01`);
  for (const [index, child] of eligible.slice(0, 40).entries()) {
    // Accepted over the past year and a half, never before the child's first month.
    const acceptedOn = `${monthsAgo(4 + (index % 12))}-0${1 + (index % 5)}`;
    const enrolled = await call<{ id: string }>(index % 2 === 0 ? reviewer : civilAffairs, 'POST', '/allowance/beneficiaries', {
      childId: child.id,
      tier: index % 5 === 0 ? 'nursing_supplement' : 'care',
      acceptedOn: acceptedOn > child.birthDate ? acceptedOn : `${monthsAgo(4)}-01`,
      acceptedBy: ['东城街道办事处', '西城街道办事处', '北外镇人民政府', '罗江镇人民政府'][index % 4],
      community: { name: communities[index % communities.length] },
      bankAccount: { bank: index % 3 === 0 ? '四川农信通川区联社' : '中国邮政储蓄银行达州分行', accountName: `${child.name.slice(0, 1)}${['建国', '秀英', '志强', '丽华'][index % 4]}`, accountNumber: `62146700${String(10_000_000_000 + index)}` },
    });
    await call(civilAffairs2, 'POST', `/allowance/beneficiaries/${enrolled.id}/approve`, {});
    await call(civilAffairs, 'POST', `/allowance/beneficiaries/${enrolled.id}/verify`, { on: `${monthsAgo(4)}-05` });
    beneficiaries.push({ id: enrolled.id, name: child.name });
  }
  // A month's roll: built on the 8th, notice from the 8th to the 14th, issued on the 16th.
  const issueRoll = async (month: string) => {
    at(`${month}-08`);
    const roll = await call<{ id: string; transfers: { transferNo: number }[] }>(civilAffairs, 'POST', '/allowance/rolls', { month });
    await call(civilAffairs, 'POST', `/allowance/rolls/${roll.id}/publish`, { from: `${month}-08` });
    at(`${month}-16`);
    await call(civilAffairs2, 'POST', `/allowance/rolls/${roll.id}/issue`, {});
    return roll;
  };
  const first = await issueRoll(monthsAgo(3));
  at(`${monthsAgo(3)}-20`);
  await call(finance, 'POST', `/allowance/rolls/${first.id}/results`, {
    results: first.transfers.map((transfer, index) => (index === 2 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' })),
  });
  const failed = await call<{ transfers: { beneficiaryId: string; status: string; accountName: string }[] }>(civilAffairs, 'GET', `/allowance/rolls/${first.id}`);
  const refused = failed.transfers.find((transfer) => transfer.status === 'failed');
  if (refused) {
    await call(reviewer, 'PUT', `/allowance/beneficiaries/${refused.beneficiaryId}/bank-account`, { bank: '中国农业银行达州通川支行', accountName: refused.accountName, accountNumber: '6228481900000000777' });
  }
  const second = await issueRoll(monthsAgo(2));
  at(`${monthsAgo(2)}-20`);
  await call(finance, 'POST', `/allowance/rolls/${second.id}/results`, { results: second.transfers.map((transfer) => ({ transferNo: transfer.transferNo, status: 'paid' })) });
  // A child moved away two months ago: what was sent for those months is to be recovered.
  at(`${monthsAgo(1)}-03`);
  await call(civilAffairs, 'POST', `/allowance/beneficiaries/${beneficiaries[7]!.id}/exit`, { reason: 'moved_out', fromMonth: monthsAgo(2), note: '随父母迁往成都市' });
  const overpayments = await call<{ items: { id: string }[] }>(civilAffairs, 'GET', '/allowance/overpayments');
  if (overpayments.items[0]) await call(civilAffairs, 'POST', `/allowance/overpayments/${overpayments.items[0].id}/recoveries`, { amount: '10.00', on: `${monthsAgo(1)}-03`, voucherNo: 'TH-0001' });
  await call(civilAffairs, 'POST', `/allowance/beneficiaries/${beneficiaries[11]!.id}/hold`, { reason: '家长反映已入住福利机构，待核实' });
  await issueRoll(monthsAgo(1));
  // This month's roll, posted today, with an objection already raised.
  at(today);
  const current = await call<{ id: string; transfers: { beneficiaryId: string }[] }>(civilAffairs, 'POST', '/allowance/rolls', { month: monthsAgo(0) });
  await call(civilAffairs, 'POST', `/allowance/rolls/${current.id}/publish`, { from: today });
  const objected = current.transfers[4];
  if (objected) await call(civilAffairs, 'POST', `/allowance/rolls/${current.id}/objections`, { beneficiaryId: objected.beneficiaryId, reason: '公示期间村民反映该户已迁出，待核实' });
  return { civilAffairs, civilAffairs2 };
}
