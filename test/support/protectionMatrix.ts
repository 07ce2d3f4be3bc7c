import type { Role } from '../../src/domain/vocabulary.js';
import { caseBody, expectOk as ok, protectionAccount } from './protection.js';
import { idNumber } from './testApp.js';
import type { CreatedUser, World } from './world.js';

// The authorization matrix's rows for the protection of children in difficulty (protection.md §11):
// every route of the programme, each with a fresh resource in the state its action needs. The
// offices of region 511702 act at home; out of scope are the other township of the same county
// (511702102) and the offices of region 511781.

export interface ProtectionActors {
  township: CreatedUser;
  otherTownship: CreatedUser;
  health: CreatedUser;
  otherHealth: CreatedUser;
}

interface Call {
  url: string;
  body?: unknown;
}
interface Row {
  allowed: Role[];
  ok: number;
  away?: Partial<Record<Role, number>>;
  make: (role: Role) => Promise<Call>;
}

const VILLAGE = '511702001003';
/** Every role but the institution reads the criteria and the routes (protection.md §11). */
const SETUP_READERS: Role[] = ['admin', 'auditor', 'reviewer', 'finance', 'civil_affairs', 'township', 'department'];
const CASE_READERS: Role[] = ['township', 'civil_affairs', 'reviewer', 'department'];
const TOWNSHIP_AND_COUNTY: Role[] = ['township', 'civil_affairs'];
const NOT_FOUND_AWAY: Partial<Record<Role, number>> = { township: 404, civil_affairs: 404, reviewer: 404, department: 404 };

export function protectionRows(theWorld: () => World, actors: () => ProtectionActors): Record<string, Row> {
  const township = () => actors().township.client;
  const child = async () =>
    (await ok(township().post('/api/v1/children', { idNumber: idNumber('511702', '2014-04-04'), name: '矩阵儿童', regionCode: '511702', villageCode: VILLAGE, guardian: { name: '某', relation: 'mother', phone: '13800000000' } }), 'child')).id as string;
  const received = async (overrides: Record<string, unknown> = {}) => (await ok(township().post('/api/v1/protection/cases', caseBody(await child(), overrides)), 'receive')).id as string;
  const checked = async (overrides: Record<string, unknown> = {}, noticeFrom?: string) => {
    const id = await received(overrides);
    const answer = await ok(township().post(`/api/v1/protection/cases/${id}/check`, { decision: 'agree', ...(noticeFrom ? { noticeFrom } : {}) }), 'check');
    return { id, noticeId: answer.notices[0]?.noticeId as string | undefined };
  };
  /** A case in county review routed to the role's office. */
  const routed = async (role: Role) => {
    if (role === 'reviewer') return (await checked({ categories: ['severe_illness_disability'], severeBasis: 'disability' })).id;
    if (role === 'department') return (await checked({ categories: ['severe_illness_disability'], severeBasis: 'illness' })).id;
    return (await checked()).id;
  };
  const recognised = async () => {
    const { id } = await checked();
    await ok(theWorld().civilAffairs.post(`/api/v1/protection/cases/${id}/recognise`, {}), 'recognise');
    return id;
  };
  const refused = async () => {
    const id = await received();
    await ok(township().post(`/api/v1/protection/cases/${id}/check`, { decision: 'refuse', reason: '不符合条件' }), 'refuse');
    return id;
  };
  const onNotice = async (noticeFrom?: string) => checked({ categories: ['poor_family'], bankAccount: null, ...(noticeFrom ? { receivedOn: noticeFrom } : {}) }, noticeFrom);
  // One update a township and quarter: each call takes an earlier quarter.
  let quarterIndex = 2026 * 4 + 2;
  // Each standard the matrix adds starts in a month of its own (one per region and month).
  let standardMonthIndex = 2090 * 12;
  const nextQuarter = () => {
    quarterIndex -= 1;
    return `${Math.floor(quarterIndex / 4)}-Q${(quarterIndex % 4) + 1}`;
  };
  const quarterlyBody = async () => {
    const cases = (await township().get('/api/v1/protection/cases?status=recognised&limit=500')).body.items as { id: string }[];
    return { quarter: nextQuarter(), lines: cases.map((item) => ({ caseId: item.id, result: 'confirmed' })) };
  };
  // Basic-living rolls of region 511702 go in month order, so each takes the next month from
  // 2019-01 on (the seeded standard's first month), with a case of its own received that month: the region's cover starts in the month
  // of receipt (set once), so every roll has a transfer to record, cancel or overpay.
  let rollMonthIndex = 2019 * 12;
  let coverSet = false;
  const jbRoll = async () => {
    if (!coverSet) {
      await ok(theWorld().admin.put('/api/v1/regions/511702/settings', { protectionCoverFrom: 'received_month' }), 'cover');
      coverSet = true;
    }
    const month = `${Math.floor(rollMonthIndex / 12)}-${String((rollMonthIndex % 12) + 1).padStart(2, '0')}`;
    rollMonthIndex += 1;
    const caseId = (await checked({ receivedOn: `${month}-05` })).id;
    await ok(theWorld().civilAffairs.post(`/api/v1/protection/cases/${caseId}/recognise`, {}), 'recognise');
    // Built by the second officer, so that the matrix's own issues it (security.md §2).
    const roll = await ok(theWorld().civilAffairs2.post('/api/v1/protection/rolls', { month }), 'roll');
    return { id: roll.id as string, month, caseId, transferNo: (roll.transfers as { caseId: string; transferNo: number }[]).find((item) => item.caseId === caseId)!.transferNo };
  };
  const issuedJbRoll = async () => {
    const roll = await jbRoll();
    await ok(theWorld().civilAffairs.post(`/api/v1/protection/rolls/${roll.id}/issue`), 'issue');
    return roll;
  };
  /** Finance reads a roll once it is issued. */
  const jbRollFor = (role: Role) => (role === 'finance' ? issuedJbRoll() : jbRoll());
  const jbOverpayment = async (recovered?: string) => {
    const roll = await issuedJbRoll();
    await ok(theWorld().civilAffairs.post(`/api/v1/protection/cases/${roll.caseId}/exit`, { reason: 'adopted', eventOn: `${roll.month}-01`, fromMonth: roll.month }), 'exit');
    const items = (await theWorld().civilAffairs.get('/api/v1/protection/overpayments?limit=500')).body.items as { id: string; caseId: string }[];
    const id = items.find((item) => item.caseId === roll.caseId)!.id;
    if (recovered) {
      await ok(theWorld().civilAffairs.post(`/api/v1/protection/overpayments/${id}/recoveries`, { amount: recovered, on: `${roll.month}-20`, voucherNo: 'HK-R' }), 'recover');
      await ok(theWorld().finance.post(`/api/v1/protection/rolls/${roll.id}/results`, { results: [{ transferNo: roll.transferNo, status: 'failed', reason: '账户已销户' }] }), 'fail');
    }
    return id;
  };
  const waiveAsked = async () => {
    const id = await jbOverpayment();
    await ok(theWorld().civilAffairs2.post(`/api/v1/protection/overpayments/${id}/waive`, { reason: '核销' }), 'waive');
    return id;
  };
  const PAYERS: Role[] = ['civil_affairs', 'finance'];
  const ROLL_AWAY: Partial<Record<Role, number>> = { civil_affairs: 404, finance: 404 };

  const caseRow = (allowed: Role[], path: string, body: unknown, make: (role: Role) => Promise<string>): Row => ({
    allowed,
    ok: 200,
    away: NOT_FOUND_AWAY,
    make: async (role) => ({ url: `/api/v1/protection/cases/${await make(role)}${path}`, body }),
  });

  return {
    'PUT /api/v1/children/:id/village': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 200,
      away: NOT_FOUND_AWAY,
      make: async () => ({ url: `/api/v1/children/${await child()}/village`, body: { villageCode: '511702001004' } }),
    },
    'GET /api/v1/protection/criteria': { allowed: SETUP_READERS, ok: 200, make: async () => ({ url: '/api/v1/protection/criteria' }) },
    'POST /api/v1/protection/criteria': {
      allowed: ['admin'],
      ok: 201,
      make: async () => ({
        url: '/api/v1/protection/criteria',
        body: { name: '矩阵', effectiveFrom: `2090-01-${String(10 + Math.floor(Math.random() * 18))}`, regionCode: String(100000 + Math.floor(Math.random() * 899999)), deFactoUnsupported: { absent: ['dead'], qualifying: { severe_disability: {} } }, extremePovertyUnderAge: 16 },
      }),
    },
    'GET /api/v1/protection/routes': {
      allowed: SETUP_READERS,
      ok: 200,
      away: { reviewer: 404, finance: 404, civil_affairs: 404, department: 404 },
      make: async () => ({ url: '/api/v1/protection/routes?regionCode=511702' }),
    },
    'PUT /api/v1/protection/routes/:regionCode': { allowed: ['admin'], ok: 200, make: async () => ({ url: '/api/v1/protection/routes/517999', body: { routes: [{ route: 'civil_affairs' }] } }) },
    'GET /api/v1/protection/standards': { allowed: SETUP_READERS, ok: 200, make: async () => ({ url: '/api/v1/protection/standards' }) },
    'POST /api/v1/protection/standards': {
      allowed: ['admin'],
      ok: 201,
      make: async () => {
        standardMonthIndex += 1;
        const effectiveFrom = `${Math.floor(standardMonthIndex / 12)}-${String((standardMonthIndex % 12) + 1).padStart(2, '0')}`;
        return { url: '/api/v1/protection/standards', body: { effectiveFrom, regionCode: '511781', orphanInstitutionMonthly: '1500.00', orphanScatteredMonthly: '1100.00' } };
      },
    },
    'POST /api/v1/protection/cases': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 201,
      away: { township: 404, civil_affairs: 404 },
      make: async () => ({ url: '/api/v1/protection/cases', body: caseBody(await child()) }),
    },
    'GET /api/v1/protection/cases': { allowed: CASE_READERS, ok: 200, make: async () => ({ url: '/api/v1/protection/cases' }) },
    'GET /api/v1/protection/cases/:id': caseRow(CASE_READERS, '', undefined, (role) => (role === 'reviewer' || role === 'department' ? routed(role) : received())),
    'PUT /api/v1/protection/cases/:id': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 200,
      away: NOT_FOUND_AWAY,
      make: async () => {
        const childId = await child();
        const id = (await ok(township().post('/api/v1/protection/cases', caseBody(childId)), 'receive')).id;
        return { url: `/api/v1/protection/cases/${id}`, body: caseBody(childId, { documents: ['户口簿', '死亡证明'] }) };
      },
    },
    'POST /api/v1/protection/cases/:id/check': caseRow(['township'], '/check', { decision: 'agree' }, () => received()),
    'POST /api/v1/protection/cases/:id/withdraw': caseRow(['township'], '/withdraw', { reason: '撤回' }, () => received()),
    'POST /api/v1/protection/cases/:id/objections': caseRow(TOWNSHIP_AND_COUNTY, '/objections', { reason: '异议' }, async () => (await onNotice()).id),
    'POST /api/v1/protection/cases/:id/reviews': caseRow(['reviewer', 'department'], '/reviews', { decision: 'approve' }, routed),
    'POST /api/v1/protection/cases/:id/refuse': caseRow(['civil_affairs'], '/refuse', { reason: '不符合条件' }, async () => (await checked()).id),
    'POST /api/v1/protection/cases/:id/recognise': caseRow(['civil_affairs'], '/recognise', {}, async () => (await checked()).id),
    'GET /api/v1/protection/cases/:id/refusal-letter.pdf': caseRow(TOWNSHIP_AND_COUNTY, '/refusal-letter.pdf', undefined, refused),
    'POST /api/v1/protection/cases/:id/categories': caseRow(['civil_affairs'], '/categories', { categories: ['orphan', 'poor_family'], fromMonth: '2027-01' }, recognised),
    'POST /api/v1/protection/cases/:id/living-arrangement': caseRow(['civil_affairs'], '/living-arrangement', { livingArrangement: 'institution', fromMonth: '2027-01' }, recognised),
    'POST /api/v1/protection/cases/:id/exit': caseRow(['civil_affairs'], '/exit', { reason: 'other', eventOn: '2026-11-22' }, recognised),
    'POST /api/v1/protection/cases/:id/verify': caseRow(['civil_affairs'], '/verify', { on: '2026-11-22' }, recognised),
    'POST /api/v1/protection/cases/:id/hold': caseRow(['civil_affairs'], '/hold', { reason: '核查' }, recognised),
    'POST /api/v1/protection/cases/:id/release': caseRow(['civil_affairs'], '/release', undefined, async () => {
      const id = await recognised();
      await ok(theWorld().civilAffairs.post(`/api/v1/protection/cases/${id}/hold`, { reason: '核查' }), 'hold');
      return id;
    }),
    'POST /api/v1/protection/cases/:id/studying': caseRow(TOWNSHIP_AND_COUNTY, '/studying', { school: '某中学', stage: 'high_school', expectedGraduation: '2033-06' }, recognised),
    'PUT /api/v1/protection/cases/:id/bank-account': caseRow(['civil_affairs'], '/bank-account', protectionAccount(), recognised),
    'POST /api/v1/protection/cases/:id/bank-account/confirm': caseRow(['civil_affairs'], '/bank-account/confirm', undefined, async () => {
      const id = await recognised();
      await ok(theWorld().civilAffairs2.put(`/api/v1/protection/cases/${id}/bank-account`, protectionAccount()), 'change account');
      return id;
    }),
    'GET /api/v1/protection/notices': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/notices' }) },
    'GET /api/v1/protection/notices/:id': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/notices/${(await onNotice()).noticeId}` }) },
    'GET /api/v1/protection/notices/:id/notice.pdf': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/notices/${(await onNotice()).noticeId}/notice.pdf` }) },
    // A notice whose period ended on 2026-11-06.
    'POST /api/v1/protection/notices/:id/close': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/notices/${(await onNotice('2026-11-02')).noticeId}/close` }) },
    // The other township names cases that are not its own.
    'POST /api/v1/protection/quarterly-updates': { allowed: ['township'], ok: 201, away: { township: 400 }, make: async () => ({ url: '/api/v1/protection/quarterly-updates', body: await quarterlyBody() }) },
    'GET /api/v1/protection/quarterly-updates': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/quarterly-updates?quarter=2026-Q3' }) },
    'GET /api/v1/protection/quarterly-updates/report.xlsx': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, make: async () => ({ url: '/api/v1/protection/quarterly-updates/report.xlsx?quarter=2026-Q3' }) },
    'GET /api/v1/protection/quarterly-updates/:id': {
      allowed: TOWNSHIP_AND_COUNTY,
      ok: 200,
      away: NOT_FOUND_AWAY,
      make: async () => ({ url: `/api/v1/protection/quarterly-updates/${(await ok(township().post('/api/v1/protection/quarterly-updates', await quarterlyBody()), 'update')).id}` }),
    },
    'GET /api/v1/protection/children/:id/file': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/children/${await child()}/file` }) },
    'GET /api/v1/protection/children/:id/file.pdf': { allowed: TOWNSHIP_AND_COUNTY, ok: 200, away: NOT_FOUND_AWAY, make: async () => ({ url: `/api/v1/protection/children/${await child()}/file.pdf` }) },
    'POST /api/v1/protection/rolls': {
      allowed: ['civil_affairs'],
      ok: 201,
      make: async () => {
        const roll = await jbRoll();
        await ok(theWorld().civilAffairs.post(`/api/v1/protection/rolls/${roll.id}/cancel`), 'cancel');
        return { url: '/api/v1/protection/rolls', body: { month: roll.month } };
      },
    },
    'GET /api/v1/protection/rolls': { allowed: PAYERS, ok: 200, make: async () => ({ url: '/api/v1/protection/rolls' }) },
    'GET /api/v1/protection/rolls/:id': { allowed: PAYERS, ok: 200, away: ROLL_AWAY, make: async (role) => ({ url: `/api/v1/protection/rolls/${(await jbRollFor(role)).id}` }) },
    'POST /api/v1/protection/rolls/:id/issue': { allowed: ['civil_affairs'], ok: 200, away: ROLL_AWAY, make: async () => ({ url: `/api/v1/protection/rolls/${(await jbRoll()).id}/issue` }) },
    'POST /api/v1/protection/rolls/:id/cancel': { allowed: ['civil_affairs'], ok: 200, away: ROLL_AWAY, make: async () => ({ url: `/api/v1/protection/rolls/${(await jbRoll()).id}/cancel` }) },
    'POST /api/v1/protection/rolls/:id/results': {
      allowed: ['finance'],
      ok: 200,
      away: ROLL_AWAY,
      make: async () => {
        const roll = await issuedJbRoll();
        return { url: `/api/v1/protection/rolls/${roll.id}/results`, body: { results: [{ transferNo: roll.transferNo, status: 'paid' }] } };
      },
    },
    'GET /api/v1/protection/rolls/:id/pdf': { allowed: PAYERS, ok: 200, away: ROLL_AWAY, make: async () => ({ url: `/api/v1/protection/rolls/${(await issuedJbRoll()).id}/pdf` }) },
    'GET /api/v1/protection/rolls/:id/bank.xlsx': { allowed: PAYERS, ok: 200, away: ROLL_AWAY, make: async () => ({ url: `/api/v1/protection/rolls/${(await issuedJbRoll()).id}/bank.xlsx` }) },
    'GET /api/v1/protection/rolls/:id/bank.csv': { allowed: PAYERS, ok: 200, away: ROLL_AWAY, make: async () => ({ url: `/api/v1/protection/rolls/${(await issuedJbRoll()).id}/bank.csv` }) },
    'GET /api/v1/protection/overpayments': { allowed: PAYERS, ok: 200, make: async () => ({ url: '/api/v1/protection/overpayments' }) },
    'POST /api/v1/protection/overpayments/:id/recoveries': {
      allowed: ['civil_affairs'],
      ok: 200,
      away: { civil_affairs: 404 },
      make: async () => ({ url: `/api/v1/protection/overpayments/${await jbOverpayment()}/recoveries`, body: { amount: '1.00', on: '2026-11-01', voucherNo: 'HK-1' } }),
    },
    'POST /api/v1/protection/overpayments/:id/refunds': {
      allowed: ['civil_affairs'],
      ok: 200,
      away: { civil_affairs: 404 },
      make: async () => ({ url: `/api/v1/protection/overpayments/${await jbOverpayment('100.00')}/refunds`, body: { amount: '100.00', on: '2026-11-01', voucherNo: 'TK-1' } }),
    },
    'POST /api/v1/protection/overpayments/:id/waive': {
      allowed: ['civil_affairs'],
      ok: 200,
      away: { civil_affairs: 404 },
      make: async () => ({ url: `/api/v1/protection/overpayments/${await jbOverpayment()}/waive`, body: { reason: '核销' } }),
    },
    'POST /api/v1/protection/overpayments/:id/waive/confirm': { allowed: ['civil_affairs'], ok: 200, away: { civil_affairs: 404 }, make: async () => ({ url: `/api/v1/protection/overpayments/${await waiveAsked()}/waive/confirm` }) },
    'GET /api/v1/protection/stats': {
      allowed: ['civil_affairs', 'finance', 'admin'],
      ok: 200,
      away: { civil_affairs: 404, finance: 404 },
      make: async () => ({ url: '/api/v1/protection/stats?year=2026&regionCode=511702' }),
    },
  };
}

/** The users of the programme the matrix signs in as. */
export async function createProtectionActors(create: (body: Record<string, unknown>) => Promise<CreatedUser>): Promise<ProtectionActors> {
  return {
    township: await create({ name: '矩阵乡镇', role: 'township', townshipCode: '511702001' }),
    otherTownship: await create({ name: '矩阵他乡', role: 'township', townshipCode: '511702102' }),
    health: await create({ name: '矩阵卫健', role: 'department', department: 'health', regionCode: '511702' }),
    otherHealth: await create({ name: '外县卫健', role: 'department', department: 'health', regionCode: '511781' }),
  };
}

/** A fresh account of a role for the rows that end sessions or change a password. */
export function freshAccountBody(role: Role): Record<string, unknown> {
  if (role === 'admin' || role === 'auditor') return { name: '矩阵', role };
  if (role === 'township') return { name: '矩阵', role, townshipCode: '511702001' };
  if (role === 'department') return { name: '矩阵', role, department: 'education', regionCode: '511702' };
  return { name: '矩阵', role, regionCode: '511702' };
}

