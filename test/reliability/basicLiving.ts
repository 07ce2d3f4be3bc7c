import type postgres from 'postgres';
import { basicLivingRollTables } from '../../src/db/schema.js';
import type { FieldCipher } from '../../src/keys/fieldCipher.js';
import { createBasicLivingProgramme } from '../../src/protection/basicLivingProgramme.js';
import { brokenSqlInvariants, monthlyRollInvariants } from '../support/monthlyRollInvariants.js';
import { caseBody } from '../support/protection.js';
import { idNumber } from '../support/testApp.js';
import { brokenRollHashes } from './rollHashes.js';
import { api, RELIABILITY_ADMIN_TOKEN, signUp, type Api } from './service.js';

// The basic-living allowance of children in difficulty (protection.md §8) under the crash suite: a
// county's recognised cases (orphans scattered and in an institution, children de facto
// unsupported), whose monthly rolls one civil affairs officer builds and cancels and another
// issues, finance records the bank's results (some transfers fail), a failed case's new account is
// asked for by one officer and confirmed by the other, cases exit; and the invariants of that
// money, the roll kit's rules on the basic_living_* tables and the programme's own.

export interface BasicLivingWorld {
  civilAffairs: Api;
  civilAffairs2: Api;
  finance: Api;
  caseIds: string[];
  accountNumbers: string[];
  tokens: string[];
  /** Bank results finance set out to record (a kill may cut the request off). */
  resultAttempts: number;
  /** How each kind of step was answered (`issue 200`, `build 0`: cut off by a kill), for the run's report. */
  answers: Record<string, number>;
}

const REGION = '511702';
const TOWNSHIP = '511702001';
const VILLAGES = ['511702001003', '511702001004'];
/** The first roll: cases are received from 2025-11, so the first rolls pay arrears. */
const FIRST_ROLL_MONTH = '2026-01';
const ROLLS = '/api/v1/protection/rolls';
const CASES = '/api/v1/protection/cases';

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const nextMonth = (month: string) => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const pick = <T>(items: readonly T[]) => items[Math.floor(Math.random() * items.length)];

async function must(response: Promise<{ status: number; body: any }>, what: string): Promise<any> {
  const result = await response;
  if (result.status !== 200 && result.status !== 201) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

const unsupported = {
  categories: ['de_facto_unsupported'],
  parents: { father: [{ situation: 'dead', since: '2019-01-01', until: null }], mother: [{ situation: 'severe_disability', since: '2018-05-01', until: null }] },
};

/**
 * `count` cases received by the township from 2025-11 (covered from the month received: the
 * region's setting, so that past months are payable on today's clock), checked without a notice and
 * recognised by civil affairs: every third de facto unsupported, every other orphan in an institution.
 */
export async function buildBasicLivingWorld(baseUrl: string, finance: Api, count: number): Promise<BasicLivingWorld> {
  const admin = api(baseUrl, RELIABILITY_ADMIN_TOKEN);
  await must(admin.put(`/api/v1/regions/${REGION}/settings`, { protectionCoverFrom: 'received_month', protectionNoNoticeCategories: ['orphan', 'de_facto_unsupported'] }), 'settings');
  const township = await signUp(baseUrl, admin, { name: '乡镇干事', role: 'township', townshipCode: TOWNSHIP });
  const first = await signUp(baseUrl, admin, { name: '民政甲', role: 'civil_affairs', regionCode: REGION });
  const second = await signUp(baseUrl, admin, { name: '民政乙', role: 'civil_affairs', regionCode: REGION });
  const caseIds: string[] = [];
  const accountNumbers: string[] = [];
  for (let index = 0; index < count; index++) {
    const child = await must(
      township.api.post('/api/v1/children', {
        idNumber: idNumber(REGION, '2016-03-03'),
        name: `困境${index}`,
        regionCode: REGION,
        villageCode: VILLAGES[index % VILLAGES.length],
        guardian: { name: '张大山', relation: 'grandfather', phone: '13800000000' },
      }),
      'child',
    );
    const body = caseBody(child.id, index % 3 === 0 ? unsupported : {});
    accountNumbers.push(body.bankAccount.accountNumber);
    const receivedOn = `${index % 6 < 2 ? '2025' : '2026'}-${String(((10 + (index % 6)) % 12) + 1).padStart(2, '0')}-05`;
    const received = await must(township.api.post(CASES, { ...body, receivedOn }), 'receive');
    await must(township.api.post(`${CASES}/${received.id}/check`, { decision: 'agree' }), 'check');
    await must(first.api.post(`${CASES}/${received.id}/recognise`, { livingArrangement: index % 3 !== 0 && index % 2 === 0 ? 'institution' : 'scattered' }), 'recognise');
    caseIds.push(received.id);
  }
  return { civilAffairs: first.api, civilAffairs2: second.api, finance, caseIds, accountNumbers, tokens: [...township.secrets, ...first.secrets, ...second.secrets], resultAttempts: 0, answers: {} };
}

/** The month after the latest roll not cancelled (the first roll's month when none); undefined when that month has not begun or the list failed. */
async function nextRollMonth(world: BasicLivingWorld): Promise<string | undefined> {
  const rolls = await world.civilAffairs.get(`${ROLLS}?limit=500`);
  if (rolls.status !== 200) return undefined;
  const live = (rolls.body.items as { month: string; status: string }[]).filter((roll) => roll.status !== 'cancelled').map((roll) => roll.month).sort();
  const month = live.length === 0 ? FIRST_ROLL_MONTH : nextMonth(live.at(-1)!);
  return month <= chinaToday().slice(0, 7) ? month : undefined;
}

/** An issued roll, with nothing killed: a draft's, else the next month's built for it; fails when none can be. */
export async function issueOneRoll(world: BasicLivingWorld): Promise<void> {
  const drafts = await must(world.civilAffairs.get(`${ROLLS}?status=draft&limit=500`), 'drafts');
  let draft = (drafts.items as { id: string }[])[0];
  if (!draft) {
    const month = await nextRollMonth(world);
    if (!month) throw new Error('no month left to build a roll for');
    draft = await must(world.civilAffairs.post(ROLLS, { month }), 'build');
  }
  await must(world.civilAffairs2.post(`${ROLLS}/${draft!.id}/issue`, {}), 'issue');
}

/** One random step of the basic-living roll's month-end work. */
export async function randomBasicLivingStep(world: BasicLivingWorld): Promise<void> {
  const { civilAffairs, civilAffairs2, finance } = world;
  const tally = async (step: string, sent: Promise<{ status: number }>) => {
    const key = `${step} ${(await sent).status}`;
    world.answers[key] = (world.answers[key] ?? 0) + 1;
  };
  const choice = Math.random();
  if (choice < 0.25) {
    const month = await nextRollMonth(world);
    if (month) await tally('build', civilAffairs.post(ROLLS, { month }));
  } else if (choice < 0.6) {
    // A draft is issued by the officer who did not build it, or cancelled by its builder.
    const drafts = await civilAffairs.get(`${ROLLS}?status=draft&limit=500`);
    const draft = drafts.status === 200 ? pick(drafts.body.items as { id: string }[]) : undefined;
    if (!draft) return;
    if (Math.random() < 0.85) await tally('issue', civilAffairs2.post(`${ROLLS}/${draft.id}/issue`, {}));
    else await tally('cancel', civilAffairs.post(`${ROLLS}/${draft.id}/cancel`, {}));
  } else if (choice < 0.85) {
    const rolls = await finance.get(`${ROLLS}?status=issued&limit=500`);
    const roll = rolls.status === 200 ? pick(rolls.body.items as { id: string }[]) : undefined;
    if (!roll) return;
    const detail = await finance.get(`${ROLLS}/${roll.id}`);
    if (detail.status !== 200) return;
    const results = (detail.body.transfers as { transferNo: number; status: string }[])
      .filter((transfer) => transfer.status === 'pending' && Math.random() < 0.6)
      .map((transfer) => (Math.random() < 0.15 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' }));
    if (results.length === 0) return;
    world.resultAttempts += 1;
    await tally('results', finance.post(`${ROLLS}/${roll.id}/results`, { results }));
  } else {
    const id = pick(world.caseIds)!;
    const detail = await civilAffairs.get(`${CASES}/${id}`);
    if (detail.status !== 200) return;
    const holds = (detail.body.holds as { reason: string }[]).map((hold) => hold.reason);
    if (holds.includes('bank_failure')) {
      // The failed case's new account: asked for by one officer, confirmed by the other (mostly at once).
      const asked = await civilAffairs.put(`${CASES}/${id}/bank-account`, { bank: '中国农业银行', accountName: '张大山', accountNumber: `622848${String(Math.floor(Math.random() * 1e13)).padStart(13, '0')}` });
      if (asked.status === 200 && Math.random() < 0.8) await tally('confirm account', civilAffairs2.post(`${CASES}/${id}/bank-account/confirm`, {}));
    } else if (detail.body.status === 'recognised' && Math.random() < 0.25) {
      await tally('exit', civilAffairs.post(`${CASES}/${id}/exit`, { reason: 'moved_out', eventOn: pick(['2026-02-10', '2026-06-15', '2026-09-20', chinaToday()]) }));
    }
  }
}

/** The programme's own rules: what the kit's shape does not say. */
const BASIC_LIVING_INVARIANTS: Record<string, string> = {
  // Every entry's amount is the standard of its month: the region's own latest in force, else the default's, at the entry's standard.
  entryAmountIsStandard: `
    select e.roll_id, e.case_id, e.month from basic_living_entries e
    join basic_living_rolls r on r.id = e.roll_id join protection_standards s on s.id = e.standard_id
    where e.amount <> case e.tier when 'orphan_institution' then s.orphan_institution_monthly when 'orphan_scattered' then s.orphan_scattered_monthly else s.de_facto_unsupported_monthly end
      or s.id <> (select f.id from protection_standards f where f.effective_from <= e.month and (f.region_code = r.region_code or f.region_code is null)
                  order by f.region_code is null, f.effective_from desc limit 1)`,
  // Nothing is paid for a month outside the case's cover, after the roll's month, or (in a draft) from its exit.
  entryOutsideCover: `
    select e.roll_id, e.case_id, e.month from basic_living_entries e
    join basic_living_rolls r on r.id = e.roll_id join protection_cases c on c.id = e.case_id
    where e.live and (e.month < c.cover_from or e.month > c.last_month or e.month > r.month
      or (r.status = 'draft' and c.exit_from_month is not null and e.month >= c.exit_from_month))`,
  // A case held (an open stored hold) has no live entry in a draft.
  heldInDraft: `
    select h.case_id, h.reason from protection_case_holds h join basic_living_entries e on e.case_id = h.case_id and e.live
    join basic_living_rolls r on r.id = e.roll_id and r.status = 'draft' where h.released_at is null`,
  // A draft pays the account the case has now (a confirmed change reaches it; the sealed number is copied as it is).
  draftTransferAccount: `
    select t.roll_id, t.transfer_no from basic_living_transfers t join basic_living_rolls r on r.id = t.roll_id join protection_cases c on c.id = t.case_id
    where r.status = 'draft' and t.status <> 'removed'
      and (t.account_number_sealed is distinct from c.bank_account_number_sealed or t.account_name <> c.bank_account_name or t.bank <> c.bank_name)`,
};

/** The basic-living money after the kills: the kit's rules on its tables, the programme's own, and the issued rolls' hashes. */
export async function brokenBasicLivingInvariants(sql: postgres.Sql, cipher: FieldCipher): Promise<Record<string, readonly unknown[]>> {
  const broken = await brokenSqlInvariants({ ...monthlyRollInvariants(basicLivingRollTables, 'protection_roll'), ...BASIC_LIVING_INVARIANTS }, (text) => sql.unsafe(text));
  return { ...broken, ...(await brokenRollHashes(sql, createBasicLivingProgramme(cipher), cipher)) };
}
