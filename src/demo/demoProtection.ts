import { addMonths } from '../domain/calendar.js';
import { chinaDate } from '../domain/chinaTime.js';
import { checkCharacter } from '../domain/idNumber.js';
import { quarterLastDay, quarterOfMonth, quarterOpensOn } from '../domain/protectionQuarterRule.js';
import { seedBasicLiving } from './demoBasicLiving.js';
import { seedVisits } from './demoVisits.js';

// The protection of children in difficulty in the demo county: two townships of 通川区 — 东城街道
// (511702001) and 罗江镇 (511702102) — with their clerks and the county's departments, and cases in every state: received (one overdue), on a village notice,
// returned after an objection, in county review (one overdue), recognised (orphans, unsupported
// children, poor families, a severe case), refused by the township and by the county (criteria not
// met), withdrawn, exited, and one past 18 whose schooling keeps it covered and one that ended.
// Last quarter's updates are in (one late); this quarter's wait. Visits and reports: demoVisits.ts;
// basic-living rolls: demoBasicLiving.ts.

export interface ProtectionDemoAccounts {
  townships: { name: string; username: string; password: string; township: string }[];
  departments: { name: string; username: string; password: string; department: string }[];
}

type Call = <T = any>(credential: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;
type Account = { account: { name: string; username: string; password: string }; session: string };

const DONGCHENG = { code: '511702001', name: '东城街道', villages: ['511702001003', '511702001007', '511702001011'] };
const LUOJIANG = { code: '511702102', name: '罗江镇', villages: ['511702102001', '511702102200', '511702102202'] };
const NAMES = ['王小雨', '李思琪', '张浩宇', '刘一诺', '陈梓涵', '杨子轩', '赵欣怡', '黄俊杰', '周雨桐', '吴天佑', '徐可馨', '孙明轩', '马佳怡', '朱皓宇', '胡诗琪', '郭思远', '何子涵', '林浩然'];

export async function seedProtection(scene: {
  call: Call;
  at: (date: string) => void;
  person: (body: Record<string, unknown>) => Promise<Account>;
  admin: string;
  /** The 残联's reviewer, who reviews cases of severe disability. */
  reviewer: string;
  civilAffairs: string;
  /** The second civil affairs officer, who confirms what the first asked for (security.md §2). */
  civilAffairs2: string;
  finance: string;
  region: string;
  now: Date;
}): Promise<ProtectionDemoAccounts> {
  const { call, at, person, admin, civilAffairs, civilAffairs2, region, now } = scene;
  const today = chinaDate(now);
  const daysAgo = (days: number) => chinaDate(new Date(now.getTime() - days * 86_400_000));
  const monthsAgo = (months: number) => `${addMonths(today.slice(0, 7), -months)}-1${months % 9}`;

  await call(admin, 'PUT', `/regions/${region}/settings`, { townshipCheckWorkingDays: 5, protectionNoticeWorkingDays: 5, countyReviewWorkingDays: 5 });
  const dongcheng = await person({ name: '刘干事', role: 'township', townshipCode: DONGCHENG.code });
  const luojiang = await person({ name: '罗干事', role: 'township', townshipCode: LUOJIANG.code });
  const departments = {
    health: await person({ name: '陈科长', role: 'department', department: 'health', regionCode: region }),
    education: await person({ name: '唐科长', role: 'department', department: 'education', regionCode: region }),
    human_resources: await person({ name: '蒋科长', role: 'department', department: 'human_resources', regionCode: region }),
  };
  const clerkOf = (township: typeof DONGCHENG) => (township === DONGCHENG ? dongcheng.session : luojiang.session);

  let sequence = 0;
  const child = async (township: typeof DONGCHENG, birthDate: string) => {
    sequence += 1;
    const body = `${region}${birthDate.replaceAll('-', '')}${String(500 + sequence).padStart(3, '0')}`;
    const guardian = { name: `${NAMES[(sequence - 1) % NAMES.length]!.slice(0, 1)}${['建国', '秀英', '志强'][sequence % 3]}`, relation: ['grandfather', 'grandmother', 'uncle'][sequence % 3]!, phone: `1380818${String(2000 + sequence).padStart(4, '0')}` };
    const registered = await call<{ id: string }>(clerkOf(township), 'POST', '/children', {
      idNumber: body + checkCharacter(body),
      name: NAMES[(sequence - 1) % NAMES.length],
      regionCode: region,
      villageCode: township.villages[sequence % township.villages.length],
      guardian,
    });
    return { id: registered.id, guardian };
  };
  let lastGuardian = '';
  const account = () => ({ bank: '四川农信通川区联社', accountName: lastGuardian, accountNumber: `62146700818${String(sequence).padStart(8, '0')}` });
  const dead = { father: [{ situation: 'dead', since: '2019-03-01', until: null, documents: ['死亡证明'] }], mother: [{ situation: 'dead', since: '2020-07-01', until: null, documents: ['死亡证明'] }] };
  const unsupported = {
    father: [{ situation: 'imprisoned', since: '2022-04-01', until: '2031-03-31', documents: ['刑事判决书'] }],
    mother: [{ situation: 'missing', since: '2023-01-15', until: null, documents: ['公安机关受案回执'] }],
  };
  /** A case received on `receivedOn` (the clock set to that day). */
  const receive = async (township: typeof DONGCHENG, birthDate: string, receivedOn: string, body: Record<string, unknown>) => {
    at(receivedOn);
    const registered = await child(township, birthDate);
    lastGuardian = registered.guardian.name;
    const bankAccount = body.bankAccount === null ? null : { ...account(), accountName: registered.guardian.name };
    return call<{ id: string; notices: { noticeId: string }[] }>(clerkOf(township), 'POST', '/protection/cases', {
      childId: registered.id,
      receivedOn,
      applicant: registered.guardian,
      documents: ['户口簿', '居民身份证'],
      ...body,
      ...(body.bankAccount === undefined ? {} : { bankAccount }),
    });
  };
  const check = (township: typeof DONGCHENG, id: string, on: string, body: Record<string, unknown> = { decision: 'agree' }) => {
    at(on);
    return call<{ id: string; notices: { noticeId: string }[] }>(clerkOf(township), 'POST', `/protection/cases/${id}/check`, body);
  };
  const recognise = (id: string, on: string, body: Record<string, unknown> = {}) => {
    at(on);
    return call(civilAffairs, 'POST', `/protection/cases/${id}/recognise`, body);
  };
  const recognisedOrphan = async (township: typeof DONGCHENG, birthDate: string, months: number, living: 'scattered' | 'institution' = 'scattered') => {
    const received = await receive(township, birthDate, monthsAgo(months), { categories: ['orphan'], parents: dead, bankAccount: account() });
    await check(township, received.id, monthsAgo(months));
    await recognise(received.id, monthsAgo(months - 1), { livingArrangement: living });
    return received.id;
  };

  // Recognised: orphans (one in the county's children's home), unsupported children, a poor family, a severe case.
  const recognised: { township: typeof DONGCHENG; id: string }[] = [];
  recognised.push({ township: DONGCHENG, id: await recognisedOrphan(DONGCHENG, '2014-05-06', 10) });
  recognised.push({ township: DONGCHENG, id: await recognisedOrphan(DONGCHENG, '2016-09-21', 9, 'institution') });
  recognised.push({ township: LUOJIANG, id: await recognisedOrphan(LUOJIANG, '2012-02-14', 10) });
  for (const [township, birthDate, months] of [
    [DONGCHENG, '2013-11-02', 9],
    [LUOJIANG, '2015-06-30', 8],
  ] as const) {
    const received = await receive(township, birthDate, monthsAgo(months), { categories: ['de_facto_unsupported'], leftBehind: true, parents: unsupported, bankAccount: account() });
    await check(township, received.id, monthsAgo(months));
    await recognise(received.id, monthsAgo(months - 1));
    recognised.push({ township, id: received.id });
  }
  {
    const received = await receive(LUOJIANG, '2011-08-08', monthsAgo(9), { categories: ['poor_family', 'severe_illness_disability'], severeBasis: 'disability', leftBehind: true, bankAccount: null });
    const posted = await check(LUOJIANG, received.id, monthsAgo(9));
    at(monthsAgo(8));
    await call(clerkOf(LUOJIANG), 'POST', `/protection/notices/${posted.notices[0]!.noticeId}/close`);
    await call(scene.reviewer, 'POST', `/protection/cases/${received.id}/reviews`, { decision: 'approve' });
    await call(departments.human_resources.session, 'POST', `/protection/cases/${received.id}/reviews`, { decision: 'approve' });
    await recognise(received.id, monthsAgo(8));
    recognised.push({ township: LUOJIANG, id: received.id });
  }
  // Two who turned 18 a few months ago (one will be found studying).
  const eighteenMonthsBack = (months: number) => `${addMonths(today.slice(0, 7), -18 * 12 - months)}-03`;
  const studying = await recognisedOrphan(DONGCHENG, eighteenMonthsBack(3), 11);
  await recognisedOrphan(LUOJIANG, eighteenMonthsBack(2), 11);

  // Quarterly updates of a quarter that ended over a month ago: 东城街道 on time, 罗江镇 five days late.
  let lastQuarter = quarterOfMonth(addMonths(today.slice(0, 7), -3));
  const plusDays = (date: string, days: number) => chinaDate(new Date(Date.parse(`${date}T02:00:00Z`) + days * 86_400_000));
  if (plusDays(quarterLastDay(lastQuarter), 5) > daysAgo(30)) lastQuarter = quarterOfMonth(addMonths(quarterOpensOn(lastQuarter).slice(0, 7), -3));
  const lines = async (township: typeof DONGCHENG) =>
    (await call<{ items: { id: string }[] }>(clerkOf(township), 'GET', '/protection/cases?status=recognised&limit=500')).items.map((item) => ({ caseId: item.id, result: 'confirmed' }));
  at(plusDays(quarterLastDay(lastQuarter), -3));
  await call(dongcheng.session, 'POST', '/protection/quarterly-updates', { quarter: lastQuarter, lines: await lines(DONGCHENG) });
  at(plusDays(quarterLastDay(lastQuarter), 5));
  await call(luojiang.session, 'POST', '/protection/quarterly-updates', { quarter: lastQuarter, lines: await lines(LUOJIANG) });

  // Past 18: one studying at a vocational high school (covered until graduation), one ended; one
  // adopted (exited); a change of account the second officer confirmed, one still waiting for the
  // second officer; a manual hold.
  at(daysAgo(20));
  await call(dongcheng.session, 'POST', `/protection/cases/${studying}/studying`, { school: '达州市职业高级中学', stage: 'vocational_high_school', expectedGraduation: `${Number(today.slice(0, 4)) + 1}-06` });
  const adopted = recognised.find((entry) => entry.township === DONGCHENG)!.id;
  at(daysAgo(25));
  await call(civilAffairs, 'POST', `/protection/cases/${adopted}/exit`, { reason: 'adopted', eventOn: daysAgo(40), note: '依法被收养' });
  // Two people for a bank account (security.md §2): the second officer asks, the first confirms.
  at(daysAgo(10));
  const holder = (await call<{ bankAccount: { accountName: string } }>(civilAffairs, 'GET', `/protection/cases/${recognised[3]!.id}`)).bankAccount.accountName;
  await call(civilAffairs2, 'PUT', `/protection/cases/${recognised[3]!.id}/bank-account`, { bank: '中国农业银行达州分行', accountName: holder, accountNumber: '6228480818000045678' });
  at(daysAgo(9));
  await call(civilAffairs, 'POST', `/protection/cases/${recognised[3]!.id}/bank-account/confirm`);
  at(daysAgo(3));
  await call(civilAffairs, 'PUT', `/protection/cases/${recognised[1]!.id}/bank-account`, { bank: '中国邮政储蓄银行达州分行', accountName: '朱秀英', accountNumber: '6210985000000123456' });
  await call(civilAffairs, 'POST', `/protection/cases/${recognised[2]!.id}/hold`, { reason: '群众反映监护人已外出务工，待核实' });

  // Refused: by 罗江镇 at its check, and by the county (a mother missing under six months).
  const poor = await receive(LUOJIANG, '2014-12-12', daysAgo(40), { categories: ['poor_family'], bankAccount: null });
  await check(LUOJIANG, poor.id, daysAgo(37), { decision: 'refuse', reason: '家庭人均收入高于当地低保标准' });
  const early = await receive(DONGCHENG, '2015-10-10', daysAgo(30), {
    categories: ['de_facto_unsupported'],
    parents: { father: [{ situation: 'dead', since: '2021-01-01', until: null }], mother: [{ situation: 'missing', since: daysAgo(90), until: null }] },
    bankAccount: account(),
  });
  await check(DONGCHENG, early.id, daysAgo(28));
  at(daysAgo(26));
  await call(civilAffairs, 'POST', `/protection/cases/${early.id}/refuse`, { reason: '母亲失联未满6个月（自公安机关受理报案之日起算），暂不符合事实无人抚养认定条件' });
  // Withdrawn.
  const withdrawn = await receive(DONGCHENG, '2013-04-04', daysAgo(35), { categories: ['temporary'], bankAccount: null });
  at(daysAgo(33));
  await call(dongcheng.session, 'POST', `/protection/cases/${withdrawn.id}/withdraw`, { reason: '家庭经济状况已好转，监护人申请撤回' });

  // Received by civil affairs on 罗江镇's behalf (handed in at the county): the other officer recognises it (four eyes).
  {
    at(daysAgo(15));
    const registered = await child(LUOJIANG, '2017-03-03');
    const onBehalf = await call<{ id: string }>(civilAffairs, 'POST', '/protection/cases', {
      childId: registered.id,
      receivedOn: daysAgo(15),
      applicant: registered.guardian,
      documents: ['户口簿', '居民身份证', '死亡证明'],
      categories: ['orphan'],
      parents: dead,
      bankAccount: { ...account(), accountName: registered.guardian.name },
    });
    await check(LUOJIANG, onBehalf.id, daysAgo(14));
    at(daysAgo(11));
    await call(civilAffairs2, 'POST', `/protection/cases/${onBehalf.id}/recognise`, {});
  }
  // In county review: an orphan waiting for civil affairs; a severe illness waiting for 卫健 past its due date.
  const orphan = await receive(DONGCHENG, '2018-01-15', daysAgo(4), { categories: ['orphan'], parents: dead, bankAccount: account() });
  await check(DONGCHENG, orphan.id, daysAgo(2));
  const ill = await receive(LUOJIANG, '2016-06-16', daysAgo(24), { categories: ['severe_illness_disability'], severeBasis: 'illness', bankAccount: null });
  await check(LUOJIANG, ill.id, daysAgo(20));
  // On a village notice, and one returned after an objection.
  const posted = await receive(DONGCHENG, '2012-10-01', daysAgo(6), { categories: ['poor_family', 'temporary'], schoolingSupport: true, bankAccount: null });
  await check(DONGCHENG, posted.id, daysAgo(3), { decision: 'agree', noticeFrom: daysAgo(3) });
  const objected = await receive(LUOJIANG, '2013-07-07', daysAgo(14), { categories: ['poor_family'], bankAccount: null });
  const objectedNotice = (await check(LUOJIANG, objected.id, daysAgo(12))).notices[0]!.noticeId;
  at(daysAgo(9));
  await call(civilAffairs, 'POST', `/protection/cases/${objected.id}/objections`, { reason: '群众反映其父已刑满释放并返乡务工' });
  // Its notice ran its period with nobody left on it, and was taken down.
  at(daysAgo(3));
  await call(luojiang.session, 'POST', `/protection/notices/${objectedNotice}/close`);
  // Just received, and received twelve days ago and not yet checked (overdue).
  await receive(DONGCHENG, '2019-02-02', daysAgo(1), { categories: ['guardianship_lacking'], bankAccount: null });
  await receive(LUOJIANG, '2017-11-11', daysAgo(12), { categories: ['poor_family'], bankAccount: null });
  await seedVisits({ call, at, townships: [dongcheng.session, luojiang.session], civilAffairs, now });
  await seedBasicLiving({ call, at, civilAffairs, civilAffairs2, finance: scene.finance, now });
  at(today);

  return {
    townships: [
      { ...dongcheng.account, township: DONGCHENG.name },
      { ...luojiang.account, township: LUOJIANG.name },
    ],
    departments: [
      { ...departments.health.account, department: '卫健 health' },
      { ...departments.education.account, department: '教育 education' },
      { ...departments.human_resources.account, department: '人社 human_resources' },
    ],
  };
}
