import type postgres from 'postgres';
import { allowanceRollProgramme } from '../../src/allowance/allowanceRollProgramme.js';
import { checkCharacter } from '../../src/domain/idNumber.js';
import type { FieldCipher } from '../../src/keys/fieldCipher.js';
import { brokenAllowanceSqlInvariants } from '../support/allowanceInvariants.js';
import { brokenRollHashes } from './rollHashes.js';
import { api, RELIABILITY_ADMIN_TOKEN, signUp, type Api } from './service.js';

// The care allowance under the crash suite: a county's civil affairs office builds, publishes,
// issues and cancels monthly rolls, takes objections and exits, changes accounts and releases
// holds, while finance records the bank's results; and the invariants of that money. Two civil
// affairs officers (security.md §2): the second issues the rolls the first builds and confirms the
// account changes the first asks for.

export interface AllowanceWorld {
  civilAffairs: Api;
  civilAffairs2: Api;
  finance: Api;
  beneficiaryIds: string[];
  accountNumbers: string[];
  tokens: string[];
  /**
   * The bank results finance set out to record: each time it found an issued roll with transfers
   * waiting and sent some of them, whatever the answer (a kill may cut it off).
   */
  resultAttempts: number;
}

const REGION = '511702';
let sequence = 500;

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const nextMonth = (month: string) => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};

export async function buildAllowanceWorld(baseUrl: string, reviewer: Api, finance: Api, count: number): Promise<AllowanceWorld> {
  const admin = api(baseUrl, RELIABILITY_ADMIN_TOKEN);
  const created = await signUp(baseUrl, admin, { name: '民政', role: 'civil_affairs', regionCode: REGION });
  const second = await signUp(baseUrl, admin, { name: '民政复核', role: 'civil_affairs', regionCode: REGION });
  const civilAffairs = created.api;
  const beneficiaryIds: string[] = [];
  const accountNumbers: string[] = [];
  for (let index = 0; index < count; index++) {
    sequence += 1;
    const body = `${REGION}20150601${String(sequence % 1000).padStart(3, '0')}`;
    const idNumber = body + checkCharacter(body);
    const child = await reviewer.post('/api/v1/children', {
      idNumber,
      name: `关爱${index}`,
      regionCode: REGION,
      category: 'autism',
      certificateNo: `${idNumber}62`,
      guardian: { name: '家长', relation: 'mother', phone: '13900001111' },
    });
    if (child.status !== 201) throw new Error(`child not registered: ${JSON.stringify(child.body)}`);
    const accountNumber = `621467${String(1_000_000_000_000 + index)}`;
    accountNumbers.push(accountNumber);
    const enrolled = await reviewer.post('/api/v1/allowance/beneficiaries', {
      childId: child.body.id,
      tier: index % 3 === 0 ? 'nursing_supplement' : 'care',
      acceptedOn: `2024-0${1 + (index % 6)}-15`,
      acceptedBy: '东城街道',
      community: { name: ['朝阳社区', '西城社区', '南坝村'][index % 3]! },
      bankAccount: { bank: '四川农信', accountName: `家长${index}`, accountNumber },
    });
    if (enrolled.status !== 201) throw new Error(`not enrolled: ${JSON.stringify(enrolled.body)}`);
    await civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {});
    await civilAffairs.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/verify`, { on: chinaToday() });
    beneficiaryIds.push(enrolled.body.id);
  }
  return { civilAffairs, civilAffairs2: second.api, finance, beneficiaryIds, accountNumbers, tokens: [...created.secrets, ...second.secrets], resultAttempts: 0 };
}

/** One random step of the allowance's month-end work. */
export async function randomAllowanceStep(world: AllowanceWorld): Promise<void> {
  const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
  const { civilAffairs, civilAffairs2, finance } = world;
  // A new account asked for by the first officer; the second confirms it, mostly at once.
  const changeAccount = async (id: string, account: { bank: string; accountName: string; accountNumber: string }) => {
    const asked = await civilAffairs.put(`/api/v1/allowance/beneficiaries/${id}/bank-account`, account);
    if (asked.status === 200 && Math.random() < 0.8) await civilAffairs2.post(`/api/v1/allowance/beneficiaries/${id}/bank-account/confirm`, {});
  };
  const choice = Math.random();
  if (choice < 0.2) {
    const rolls = await civilAffairs.get('/api/v1/allowance/rolls?limit=500');
    if (rolls.status !== 200) return;
    const live = (rolls.body.items as { month: string; status: string }[]).filter((roll) => roll.status !== 'cancelled').map((roll) => roll.month).sort();
    const month = live.length === 0 ? '2024-01' : nextMonth(live.at(-1)!);
    if (month <= chinaToday().slice(0, 7)) await civilAffairs.post('/api/v1/allowance/rolls', { month });
  } else if (choice < 0.55) {
    const rolls = await civilAffairs.get('/api/v1/allowance/rolls?limit=500');
    if (rolls.status !== 200) return;
    const open = (rolls.body.items as { id: string; status: string }[]).filter((roll) => roll.status === 'draft' || roll.status === 'published');
    const roll = pick(open);
    if (!roll) return;
    const step = Math.random();
    if (roll.status === 'draft') {
      // The notice went up ten days ago: the roll may be issued as soon as it is published.
      if (step < 0.85) await civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/publish`, { from: addDays(chinaToday(), -10) });
      else await civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/cancel`, {});
    } else if (step < 0.15) {
      const detail = await civilAffairs.get(`/api/v1/allowance/rolls/${roll.id}`);
      const transfer = detail.status === 200 ? pick(detail.body.transfers as { beneficiaryId: string }[]) : undefined;
      if (transfer) await civilAffairs.post(`/api/v1/allowance/rolls/${roll.id}/objections`, { beneficiaryId: transfer.beneficiaryId, reason: '群众反映' });
    } else {
      await civilAffairs2.post(`/api/v1/allowance/rolls/${roll.id}/issue`, {});
    }
  } else if (choice < 0.8) {
    const rolls = await finance.get('/api/v1/allowance/rolls?status=issued&limit=500');
    const roll = rolls.status === 200 ? pick(rolls.body.items as { id: string }[]) : undefined;
    if (!roll) return;
    const detail = await finance.get(`/api/v1/allowance/rolls/${roll.id}`);
    if (detail.status !== 200) return;
    const pending = (detail.body.transfers as { transferNo: number; status: string }[]).filter((transfer) => transfer.status === 'pending');
    const results = pending
      .filter(() => Math.random() < 0.6)
      .map((transfer) => (Math.random() < 0.1 ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' }));
    if (results.length === 0) return;
    world.resultAttempts += 1;
    await finance.post(`/api/v1/allowance/rolls/${roll.id}/results`, { results });
  } else {
    const id = pick(world.beneficiaryIds)!;
    const detail = await civilAffairs.get(`/api/v1/allowance/beneficiaries/${id}`);
    if (detail.status !== 200) return;
    const holds = (detail.body.holds as { reason: string }[]).map((hold) => hold.reason);
    if (detail.body.status === 'exited' && Math.random() < 0.3) {
      // Enrolled again after the exit: the new record starts where the exit stopped.
      const enrolled = await world.civilAffairs.post('/api/v1/allowance/beneficiaries', {
        childId: detail.body.childId,
        tier: 'care',
        acceptedOn: chinaToday(),
        acceptedBy: '东城街道',
        community: { name: detail.body.community.name },
        bankAccount: { bank: '四川农信', accountName: detail.body.bankAccount.accountName, accountNumber: detail.body.bankAccount.accountNumber },
      });
      if (enrolled.status === 201 && (await civilAffairs2.post(`/api/v1/allowance/beneficiaries/${enrolled.body.id}/approve`, {})).status === 200) world.beneficiaryIds.push(enrolled.body.id);
    } else if (Math.random() < 0.1) {
      // A corrected account reaches the transfers of draft and published rolls once confirmed.
      await changeAccount(id, { bank: '中国工商银行', accountName: detail.body.bankAccount.accountName, accountNumber: detail.body.bankAccount.accountNumber });
    } else if (Math.random() < 0.1 && detail.body.status === 'active') {
      await civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/tier`, { tier: Math.random() < 0.5 ? 'care' : 'nursing_supplement', fromMonth: nextMonth(chinaToday().slice(0, 7)) });
    } else if (holds.includes('bank_failure')) {
      await changeAccount(id, { bank: '中国农业银行', accountName: detail.body.bankAccount.accountName, accountNumber: detail.body.bankAccount.accountNumber });
    } else if (holds.includes('objection') || holds.includes('manual')) {
      await civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/release`, {});
    } else if (Math.random() < 0.15 && detail.body.status === 'active') {
      await civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/exit`, { reason: 'moved_out', fromMonth: pick(['2024-06', '2025-01', '2025-09', '2026-03']) });
    } else if (detail.body.status === 'active') {
      await civilAffairs.post(`/api/v1/allowance/beneficiaries/${id}/hold`, { reason: '核查' });
    }
  }
}

/**
 * The allowance's money, checked with SQL (the rules of test/support/allowanceInvariants.ts, which
 * the property test checks too, and the issued rolls' hashes): each returns the rows that break it.
 */
export async function brokenAllowanceInvariants(sql: postgres.Sql, cipher: FieldCipher): Promise<Record<string, readonly unknown[]>> {
  const broken = await brokenAllowanceSqlInvariants((text) => sql.unsafe(text));
  return { ...broken, ...(await brokenRollHashes(sql, allowanceRollProgramme, cipher)) };
}
