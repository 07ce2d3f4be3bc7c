import { eq, inArray, sql } from 'drizzle-orm';
import { selectRows, type Executor } from '../db/client.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { basicLivingRollTables, children, protectionCases } from '../db/schema.js';
import { newId } from '../db/ids.js';
import { chinaDateTime } from '../domain/chinaTime.js';
import { maskAccountNumber } from '../domain/masks.js';
import { formatMoney, money } from '../domain/money.js';
import { compareCodePoints, createMonthlyRollPlanner, type RollMonthEntry } from '../domain/monthlyRollRule.js';
import { protectionEntries, type ProtectionPaymentFacts, type StandardKind } from '../domain/protectionPaymentRule.js';
import { reviewOverdue } from '../domain/verificationRule.js';
import type { CaseHoldReason } from '../domain/protectionVocabulary.js';
import type { KitPayee, RollProgramme } from '../monthlyRoll/programme.js';
import { runInSlices } from '../monthlyRoll/rollParts.js';
import { mapInSlices } from '../monthlyRoll/slices.js';
import { takeOffEntries } from '../monthlyRoll/rolls.repository.js';
import { townshipName } from '../regions/divisions.js';
import { STANDARD_NAMES_ZH } from '../domain/protectionVocabulary.js';
import { monthLabel, monthsLabel } from '../../reports/documentWords.js';
import { auditCase } from './caseChanges.js';
import { openProtection } from './caseSecrets.js';
import { placeHold } from './caseSteps.repository.js';
import { payableFactsOfRegion, type PayableCaseFacts } from './payableFacts.repository.js';
import { protectionStandardsForRegion } from './standards.repository.js';

// The basic-living allowance of children in difficulty (基本生活费, protection.md §8) on the
// monthly-roll kit (src/monthlyRoll/): a recognised case is paid for each covered month in which it
// is payable, at the standard of that month's living arrangement (protectionPaymentRule.ts); no
// public notice (privacy): a draft is issued by another civil affairs officer than its builder;
// the number code JB; totals by standard and by township; read by civil affairs, and by finance
// once issued. Holds in the order a roll names them: bank_failure, exit_reported, manual,
// review_overdue (the allowance's 12 months), then no_account (a case made payable after
// recognition, its account not yet given: nothing can be sent).

/** Names the region's lock of basic-living rolls. */
export const BASIC_LIVING_KEY = 'basic-living';

export const BASIC_LIVING_HOLD_REASONS = ['bank_failure', 'exit_reported', 'manual', 'review_overdue', 'no_account'] as const;
export type BasicLivingHoldReason = (typeof BASIC_LIVING_HOLD_REASONS)[number];

/** The stored value of each standard in an entry's tier, by the name answers give it (`byStandard`). */
export const STANDARD_TIERS: Record<StandardKind, string> = {
  orphanInstitution: 'orphan_institution',
  orphanScattered: 'orphan_scattered',
  deFactoUnsupported: 'de_facto_unsupported',
};
const FUND = 'basic_living';


export interface BasicLivingPayee extends KitPayee {
  townshipCode: string;
  exitFromMonth: string | null;
  lastVerifiedOn: string | null;
  openHolds: readonly CaseHoldReason[];
  hasAccount: boolean;
  facts: ProtectionPaymentFacts;
}

/** Why a case is held in a roll of `rollMonth`, the first reason that applies; an exit settled what a review would check. */
export function basicLivingHoldReason(payee: Pick<BasicLivingPayee, 'openHolds' | 'lastVerifiedOn' | 'exitFromMonth' | 'hasAccount'>, rollMonth: string): BasicLivingHoldReason | null {
  for (const reason of BASIC_LIVING_HOLD_REASONS) {
    if (reason === 'review_overdue') {
      if (payee.exitFromMonth === null && reviewOverdue(payee.lastVerifiedOn, rollMonth)) return reason;
    } else if (reason === 'no_account') {
      if (!payee.hasAccount) return reason;
    } else if (payee.openHolds.includes(reason)) return reason;
  }
  return null;
}

/** Transfers are numbered by township code, village code, child name (code point) and case id (§8 item 5). */
export function compareCases(a: BasicLivingPayee, b: BasicLivingPayee): number {
  return (
    compareCodePoints(a.townshipCode, b.townshipCode) ||
    compareCodePoints(a.placeCode ?? '', b.placeCode ?? '') ||
    compareCodePoints(a.childName, b.childName) ||
    compareCodePoints(a.id, b.id)
  );
}

/** 摘要 of a transfer: "2026年1月基本生活费", "2025年11月至2026年1月基本生活费" — never a category of the child. */
export function basicLivingMemo(months: readonly string[]): string {
  return `${monthsLabel(months)}基本生活费`;
}

const ACCOUNT_FIELD = 'bankAccountNumber' as const;

/** The programme, with the field cipher that opens hivAffected (a payable criterion) for its plan. */
export function createBasicLivingProgramme(cipher: FieldCipher): RollProgramme<BasicLivingPayee, BasicLivingHoldReason> {
  return {
  key: BASIC_LIVING_KEY,
  tables: basicLivingRollTables,
  numberCode: 'JB',
  notice: false,
  readers: ['civil_affairs'],
  audit: { roll: 'protection_roll', overpayment: 'protection_overpayment', payeeEntity: 'case' },
  payeeKey: 'caseId',
  countKey: 'caseCount',
  split: {
    name: 'byStandard',
    column: 'tier',
    keys: { orphanInstitution: STANDARD_TIERS.orphanInstitution, orphanScattered: STANDARD_TIERS.orphanScattered, deFactoUnsupported: STANDARD_TIERS.deFactoUnsupported },
  },
  // The summary totals by township: a village code's first 9 digits.
  summaryGroup: { codePrefix: 9 },

  async plan(db, regionCode, month) {
    const [cases, standards, liveMonths] = await Promise.all([payeesOfRegion(db, cipher, regionCode), protectionStandardsForRegion(db, regionCode), liveMonthsOfRegion(db, regionCode)]);
    return runInSlices(
      createMonthlyRollPlanner<BasicLivingPayee, RollMonthEntry, BasicLivingHoldReason>({
        month,
        payees: cases,
        liveMonthsByChild: liveMonths,
        compare: compareCases,
        due: (payee, throughMonth, taken) =>
          protectionEntries(payee.facts, throughMonth, regionCode, standards, taken).map((entry) => ({
            month: entry.month,
            tier: STANDARD_TIERS[entry.kind],
            fund: FUND,
            standardId: entry.standardId,
            amount: entry.amount,
          })),
        holdReason: basicLivingHoldReason,
      }),
    );
  },

  presentHeld: ({ payee, reason, months, amount }) => ({ caseId: payee.id, childName: payee.childName, ...placeOf(payee.placeCode, payee.placeName), reason, months, amount }),
  presentPlace: (transfer) => placeOf(transfer.placeCode, transfer.placeName),
  // Civil affairs and finance pay the account: they see it in full; nobody else reads a roll.
  accountNumberFor: (actor, cipher, sealed) => {
    const number = openProtection(cipher, ACCOUNT_FIELD, sealed);
    return actor.role === 'civil_affairs' || actor.role === 'finance' ? number : maskAccountNumber(number);
  },
  openAccountNumber: (cipher, sealed) => openProtection(cipher, ACCOUNT_FIELD, sealed),

  async childNamesOfPayees(db, payeeIds) {
    if (payeeIds.length === 0) return new Map();
    const rows = await db
      .select({ id: protectionCases.id, name: children.name })
      .from(protectionCases)
      .innerJoin(children, eq(children.id, protectionCases.childId))
      .where(inArray(protectionCases.id, [...payeeIds]));
    return new Map(rows.map((row) => [row.id, row.name]));
  },

  async childOfPayee(db, payeeId) {
    const rows = await db.select({ childId: protectionCases.childId, regionCode: protectionCases.regionCode }).from(protectionCases).where(eq(protectionCases.id, payeeId)).limit(1);
    return rows[0];
  },

  async holdForBankFailure(tx, context, hold) {
    const placed = await placeHold(tx, { id: newId(), caseId: hold.payeeId, reason: 'bank_failure', note: hold.note, placedByUserId: context.actor.id, placedAt: context.now });
    if (!placed) return false;
    await takeOffEntries(tx, basicLivingRollTables, hold.payeeId, 'hold');
    const [record] = await tx.select({ id: protectionCases.id, number: protectionCases.number, regionCode: protectionCases.regionCode, childId: protectionCases.childId }).from(protectionCases).where(eq(protectionCases.id, hold.payeeId));
    await auditCase(tx, context, 'case.held', record!, { reason: 'bank_failure', rollId: hold.rollId, transferNo: hold.transferNo });
    return true;
  },

  canonical: {
    head: (roll) => ({
      number: roll.number,
      regionCode: roll.regionCode,
      month: roll.month,
      issuedAt: roll.issuedAt,
      transferCount: roll.transferCount,
      total: roll.total,
      byStandard: { orphanInstitution: roll.split.orphanInstitution, orphanScattered: roll.split.orphanScattered, deFactoUnsupported: roll.split.deFactoUnsupported },
      arrearsTotal: roll.arrearsTotal,
      transfers: [],
    }),
    transfer: (transfer, accountNumber, entries) => ({
      transferNo: transfer.transferNo,
      caseId: transfer.payeeId,
      childName: transfer.childName,
      villageCode: transfer.placeCode,
      villageName: transfer.placeName,
      bank: transfer.bank,
      accountName: transfer.accountName,
      accountNumber,
      amount: formatMoney(money(transfer.amount)),
      entries: entries.map((entry) => ({ month: entry.month, standard: entry.tier, amount: formatMoney(money(entry.amount)) })),
    }),
  },

  summary: {
    title: '困境儿童基本生活费发放汇总表',
    groupHeading: '乡镇（街道）',
    groupWidth: 140,
    splitColumns: {
      orphanInstitution: { heading: STANDARD_NAMES_ZH.orphanInstitution, width: 100 },
      orphanScattered: { heading: STANDARD_NAMES_ZH.orphanScattered, width: 100 },
      deFactoUnsupported: { heading: STANDARD_NAMES_ZH.deFactoUnsupported, width: 100 },
    },
    details: (roll) => [
      ['出具单位', roll.issuer],
      ['县（市、区）', roll.regionName ? `${roll.regionName}（${roll.regionCode}）` : roll.regionCode],
      ['发放月份', monthLabel(roll.month)],
      ['名册编号', roll.number],
      ['转交财政时间', `${chinaDateTime(roll.issuedAt)}（北京时间）`],
      ['暂停发放（不在本册）', `${roll.heldCount} 人`],
    ],
    groupLabel: (group) => (group.code ? `${townshipName(group.code) ?? group.code}（${group.code}）` : group.name),
  },

  bankMemo: basicLivingMemo,
  };
}

/** The region's recognised and exited cases as payees (hivAffected opened with the cipher: it makes a case payable). */
async function payeesOfRegion(db: Executor, cipher: FieldCipher, regionCode: string): Promise<BasicLivingPayee[]> {
  return mapInSlices(await payableFactsOfRegion(db, cipher, regionCode), payeeOf);
}

/** A payee's village and its township (the first 9 digits of a village code), as a roll's rows show them. */
function placeOf(villageCode: string | null, villageName: string) {
  return { villageCode, villageName, townshipName: villageCode ? (townshipName(villageCode.slice(0, 9)) ?? null) : null };
}

/** A case's facts as the kit's payee. */
export function payeeOf(found: PayableCaseFacts): BasicLivingPayee {
  return {
    id: found.caseId,
    childId: found.childId,
    childName: found.childName,
    placeName: found.villageName,
    placeCode: found.villageCode,
    bank: found.bank?.bankName ?? '',
    accountName: found.bank?.accountName ?? '',
    accountNumberSealed: found.bank?.accountNumberSealed ?? '',
    townshipCode: found.townshipCode,
    exitFromMonth: found.facts.exitFromMonth,
    lastVerifiedOn: found.lastVerifiedOn,
    openHolds: found.openHolds,
    hasAccount: found.bank !== null,
    facts: found.facts,
  };
}

/** The live months of the programme's entries per child of the region's cases: what no roll may pay again. */
async function liveMonthsOfRegion(db: Executor, regionCode: string): Promise<Map<string, Set<string>>> {
  const t = basicLivingRollTables;
  const rows = await selectRows<{ childId: string; month: string }>(
    db,
    sql`select child_id::text as "childId", month from ${t.entries}
        where live and child_id in (select child_id from ${protectionCases} where region_code = ${regionCode} and status in ('recognised', 'exited'))`,
  );
  const map = new Map<string, Set<string>>();
  for (const row of rows) {
    const months = map.get(row.childId);
    if (months) months.add(row.month);
    else map.set(row.childId, new Set([row.month]));
  }
  return map;
}
