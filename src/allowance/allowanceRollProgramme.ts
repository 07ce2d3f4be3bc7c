import { ALLOWANCE_ROLLS } from './allowanceRollKey.js';
import { eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.repository.js';
import { allowanceRollTables, beneficiaries, children } from '../db/schema.js';
import { newId } from '../db/ids.js';
import { chinaDateTime } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { createMonthlyRollPlanner } from '../domain/monthlyRollRule.js';
import type { KitPayee, RollProgramme } from '../monthlyRoll/programme.js';
import { runInSlices } from '../monthlyRoll/rollParts.js';
import { takeOffEntries } from '../monthlyRoll/rolls.repository.js';
import { mapInSlices } from '../monthlyRoll/slices.js';
import { allowanceTransferMemo, chineseDate, FUND_NAMES_ZH, monthLabel } from '../../reports/allowanceWords.js';
import { compareForNumbering, dueEntries, holdReasonFor, type AllowanceBeneficiary, type HoldReason, type MonthEntry } from './allowanceRule.js';
import { accountNumberFor, openAllowanceAccount } from './allowanceAccounts.js';
import { approvedRecordsOfRegion, liveMonthsOfRegion, openHoldsOfRegion, placeHold, tiersOfRegion } from './beneficiaries.repository.js';
import { ruleBeneficiary } from './beneficiaryFacts.js';
import { canonicalHead, canonicalTransfer } from './rollCanonical.js';
import { standardRows } from './standards.repository.js';

// The care allowance on the monthly-roll kit (src/monthlyRoll/): whom a roll pays (approved
// beneficiaries, by their tier at the region's standard: allowanceRule.ts), its public notice
// before issue, the number code GA, its funds, its texts and who reads its rolls (the region's
// 残联 reviewer and civil affairs; finance once issued).

export type AllowancePayee = AllowanceBeneficiary & KitPayee;

export const allowanceRollProgramme: RollProgramme<AllowancePayee, HoldReason> = {
  key: ALLOWANCE_ROLLS.key,
  tables: allowanceRollTables,
  numberCode: 'GA',
  notice: true,
  readers: ['reviewer', 'civil_affairs'],
  audit: { roll: 'roll', overpayment: 'overpayment', payeeEntity: 'beneficiary' },
  payeeKey: 'beneficiaryId',
  countKey: 'beneficiaryCount',
  split: { name: 'byFund', column: 'fund', keys: { county: 'county', hardship: 'hardship' } },
  summaryGroup: { codePrefix: null },

  async plan(db, regionCode, month) {
    const [rows, tiers, holds, liveMonths, standards] = await Promise.all([
      approvedRecordsOfRegion(db, regionCode),
      tiersOfRegion(db, regionCode),
      openHoldsOfRegion(db, regionCode),
      liveMonthsOfRegion(db, regionCode),
      standardRows(db),
    ]);
    const payees = await mapInSlices(rows, (row): AllowancePayee => {
      const beneficiary = ruleBeneficiary(row, row.childName, tiers.get(row.id) ?? [], holds.get(row.id) ?? []);
      return { ...beneficiary, placeName: beneficiary.communityName, placeCode: beneficiary.communityCode };
    });
    return runInSlices(
      createMonthlyRollPlanner<AllowancePayee, MonthEntry, HoldReason>({
        month,
        payees,
        liveMonthsByChild: liveMonths,
        compare: compareForNumbering,
        due: (beneficiary, throughMonth, taken) => dueEntries(beneficiary, throughMonth, regionCode, standards, taken),
        holdReason: holdReasonFor,
      }),
    );
  },

  presentHeld: ({ payee, reason, months, amount }) => ({ beneficiaryId: payee.id, childName: payee.childName, community: payee.communityName, reason, months, amount }),
  presentPlace: (transfer) => ({ community: transfer.placeName, communityCode: transfer.placeCode }),
  accountNumberFor,
  openAccountNumber: openAllowanceAccount,

  async childNamesOfPayees(db, payeeIds) {
    if (payeeIds.length === 0) return new Map();
    const rows = await db
      .select({ id: beneficiaries.id, name: children.name })
      .from(beneficiaries)
      .innerJoin(children, eq(children.id, beneficiaries.childId))
      .where(inArray(beneficiaries.id, [...payeeIds]));
    return new Map(rows.map((row) => [row.id, row.name]));
  },

  async childOfPayee(db, payeeId) {
    const rows = await db.select({ childId: beneficiaries.childId, regionCode: beneficiaries.regionCode }).from(beneficiaries).where(eq(beneficiaries.id, payeeId)).limit(1);
    return rows[0];
  },

  async holdForBankFailure(tx, context, hold) {
    const placed = await placeHold(tx, { id: newId(), beneficiaryId: hold.payeeId, reason: 'bank_failure', note: hold.note, rollId: hold.rollId, placedByUserId: context.actor.id, placedAt: context.now });
    if (!placed) return false;
    await takeOffEntries(tx, allowanceRollTables, hold.payeeId, 'hold');
    await recordAudit(tx, context, {
      action: 'beneficiary.held',
      entityType: 'beneficiary',
      entityId: hold.payeeId,
      regionCode: hold.regionCode,
      data: { reason: 'bank_failure', note: hold.note, rollId: hold.rollId, transferNo: hold.transferNo },
    });
    return true;
  },

  canonical: {
    head: (roll) =>
      canonicalHead({
        ...roll,
        noticeFrom: roll.noticeFrom!,
        noticeTo: roll.noticeTo!,
        byFund: { county: roll.split.county!, hardship: roll.split.hardship! },
        transfers: [],
      }),
    transfer: (transfer, accountNumber, entries) =>
      canonicalTransfer({
        transferNo: transfer.transferNo,
        beneficiaryId: transfer.payeeId,
        childName: transfer.childName,
        community: transfer.placeName,
        bank: transfer.bank,
        accountName: transfer.accountName,
        accountNumber,
        amount: formatMoney(money(transfer.amount)),
        entries: entries.map((entry) => ({ month: entry.month, tier: entry.tier, fund: entry.fund, amount: formatMoney(money(entry.amount)) })),
      }),
  },

  summary: {
    title: '残疾儿童关爱补贴发放汇总表',
    groupHeading: '村（社区）',
    groupWidth: 200,
    splitColumns: {
      county: { heading: `关爱补贴（${FUND_NAMES_ZH.county}）`, width: 126 },
      hardship: { heading: `护理补贴提标（${FUND_NAMES_ZH.hardship}）`, width: 134 },
    },
    details: (roll) => [
      ['出具单位', roll.issuer],
      ['县（市、区）', roll.regionName ? `${roll.regionName}（${roll.regionCode}）` : roll.regionCode],
      ['发放月份', monthLabel(roll.month)],
      ['名册编号', roll.number],
      ['公示期', `${chineseDate(roll.noticeFrom!)}至${chineseDate(roll.noticeTo!)}`],
      ['转交财政时间', `${chinaDateTime(roll.issuedAt)}（北京时间）`],
      ['暂停发放（不在本册）', `${roll.heldCount} 人`],
    ],
    groupLabel: (group) => (group.code ? `${group.name}（${group.code}）` : group.name),
  },

  bankMemo: allowanceTransferMemo,
};
