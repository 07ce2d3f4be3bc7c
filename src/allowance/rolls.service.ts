import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, type Database, type Executor, type Transaction } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate, chinaMonth } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { sha256Hex } from '../domain/sha256.js';
import type { Actor, RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso, isoOrNull } from '../http/schemas.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import { inProcess, type Offload } from '../workers/pool.js';
import { renderBankListCsv, renderBankListXlsx, type BankList } from '../../reports/bankTransferList.js';
import type { NoticeCommunity } from '../../reports/allowanceNotice.js';
import type { SummaryCommunity } from '../../reports/allowanceSummary.js';
import {
  approvedBeneficiariesOfRegion,
  standardRows,
  countRollsOfMonth,
  endEntriesOfRoll,
  entriesOfRoll,
  findBeneficiaryInScope,
  findRollDocument,
  findRollInScope,
  insertEntries,
  insertObjection,
  insertRoll,
  insertRollDocument,
  insertTransfers,
  latestRollMonth,
  listRollsInScope,
  liveMonthsOfChildren,
  lockRegionRolls,
  objectionsOf,
  openHoldsOf,
  pendingTransferCount,
  placeHold,
  recordTransferResult,
  rollFigures,
  takeOffEntries,
  tiersOf,
  transfersOf,
  updateRoll,
  type RollRow,
  type TransferRow,
} from './allowance.repository.js';
import type { RollListQuery, TransferResult } from './allowance.schemas.js';
import { planRoll, type AllowanceBeneficiary, type HeldBeneficiary, type StoredHoldReason, type Tier } from './allowanceRule.js';
import { accountNumberFor } from './beneficiaries.service.js';
import { shrinkOverpaymentsForFailedTransfer } from './overpayments.service.js';
import { canonicalRollSha256, type CanonicalRoll } from './rollCanonical.js';

type RollStatus = 'draft' | 'published' | 'issued' | 'settled' | 'cancelled';

/** The public notice runs 7 days, the first included (公示7天). */
export const NOTICE_DAYS = 7;

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** What the rule needs to plan a roll of a region for a month, read in one go. */
async function planFor(db: Executor, regionCode: string, month: string) {
  const rows = await approvedBeneficiariesOfRegion(db, regionCode);
  const ids = rows.map((row) => row.beneficiary.id);
  const [tiers, holds, liveMonths, standards] = await Promise.all([
    tiersOf(db, ids),
    openHoldsOf(db, ids),
    liveMonthsOfChildren(db, [...new Set(rows.map((row) => row.beneficiary.childId))]),
    standardRows(db),
  ]);
  const beneficiaries: AllowanceBeneficiary[] = rows.map(({ beneficiary, childName }) => ({
    id: beneficiary.id,
    childId: beneficiary.childId,
    childName,
    communityName: beneficiary.communityName,
    communityCode: beneficiary.communityCode,
    startMonth: beneficiary.startMonth,
    lastMonth: beneficiary.lastMonth,
    exitFromMonth: beneficiary.exitFromMonth,
    lastVerifiedOn: beneficiary.lastVerifiedOn,
    tiers: tiers.get(beneficiary.id) ?? [],
    openHolds: (holds.get(beneficiary.id) ?? []).map((hold) => hold.reason as StoredHoldReason),
    bank: beneficiary.bank,
    accountName: beneficiary.accountName,
    accountNumber: beneficiary.accountNumber,
  }));
  return planRoll({ month, regionCode, beneficiaries, standards, liveMonthsByChild: liveMonths });
}

type RollEntry = Awaited<ReturnType<typeof entriesOfRoll>>[number];

function entriesByTransfer(entries: RollEntry[]): Map<number, RollEntry[]> {
  const map = new Map<number, RollEntry[]>();
  for (const entry of entries) map.set(entry.transferNo, [...(map.get(entry.transferNo) ?? []), entry]);
  return map;
}

function presentHeld(held: HeldBeneficiary[]) {
  return held.map((item) => ({ beneficiaryId: item.beneficiaryId, childName: item.childName, community: item.communityName, reason: item.reason, months: item.months, amount: item.amount }));
}

function presentTransfer(actor: Actor, transfer: TransferRow, entries: RollEntry[]) {
  return {
    transferNo: transfer.transferNo,
    beneficiaryId: transfer.beneficiaryId,
    childName: transfer.childName,
    community: transfer.communityName,
    accountName: transfer.accountName,
    accountNumber: accountNumberFor(actor, transfer.accountNumber),
    bank: transfer.bank,
    months: entries.map((entry) => entry.month),
    amount: formatMoney(money(transfer.amount)),
    status: transfer.status as 'pending' | 'paid' | 'failed',
    failureReason: transfer.failureReason,
  };
}

function canonicalOf(roll: RollRow, issuedAt: Date, figures: Awaited<ReturnType<typeof rollFigures>>, transfers: TransferRow[], entries: Map<number, RollEntry[]>): CanonicalRoll {
  return {
    number: roll.number,
    regionCode: roll.regionCode,
    month: roll.month,
    noticeFrom: roll.noticeFrom!,
    noticeTo: roll.noticeTo!,
    issuedAt: iso(issuedAt),
    transferCount: transfers.length,
    total: formatMoney(money(figures.total)),
    byFund: { county: formatMoney(money(figures.county)), hardship: formatMoney(money(figures.hardship)) },
    arrearsTotal: formatMoney(money(figures.arrears)),
    transfers: transfers.map((transfer) => ({
      transferNo: transfer.transferNo,
      beneficiaryId: transfer.beneficiaryId,
      childName: transfer.childName,
      community: transfer.communityName,
      bank: transfer.bank,
      accountName: transfer.accountName,
      accountNumber: transfer.accountNumber,
      amount: formatMoney(money(transfer.amount)),
      entries: (entries.get(transfer.transferNo) ?? []).map((entry) => ({ month: entry.month, tier: entry.tier, fund: entry.fund, amount: formatMoney(money(entry.amount)) })),
    })),
  };
}

/** Per community, in transfer order: what the summary PDF lists. */
function communitiesOf(roll: RollRow, transfers: TransferRow[], entries: Map<number, RollEntry[]>): SummaryCommunity[] {
  const communities = new Map<string, { transferCount: number; entryCount: number; county: ReturnType<typeof money>; hardship: ReturnType<typeof money>; arrears: ReturnType<typeof money> }>();
  for (const transfer of transfers) {
    const figures = communities.get(transfer.communityName) ?? { transferCount: 0, entryCount: 0, county: money('0'), hardship: money('0'), arrears: money('0') };
    figures.transferCount += 1;
    for (const entry of entries.get(transfer.transferNo) ?? []) {
      figures.entryCount += 1;
      if (entry.fund === 'county') figures.county = figures.county.plus(money(entry.amount));
      else figures.hardship = figures.hardship.plus(money(entry.amount));
      if (entry.month < roll.month) figures.arrears = figures.arrears.plus(money(entry.amount));
    }
    communities.set(transfer.communityName, figures);
  }
  return [...communities].map(([name, figures]) => ({
    name,
    transferCount: figures.transferCount,
    entryCount: figures.entryCount,
    county: formatMoney(figures.county),
    hardship: formatMoney(figures.hardship),
    arrears: formatMoney(figures.arrears),
    total: formatMoney(figures.county.plus(figures.hardship)),
  }));
}

export class RollDocumentIntegrityError extends Error {}

export function createRollsService(deps: { db: Database; offload?: Offload }) {
  const { db } = deps;
  // The PDFs are laid out in a worker thread, as the batch's are.
  const offload = deps.offload ?? inProcess;

  async function summaryOf(roll: RollRow) {
    const figures = await rollFigures(db, roll);
    const total = formatMoney(money(figures.total));
    return {
      id: roll.id,
      number: roll.number,
      regionCode: roll.regionCode,
      month: roll.month,
      status: roll.status as RollStatus,
      noticeFrom: roll.noticeFrom,
      noticeTo: roll.noticeTo,
      beneficiaryCount: figures.beneficiaryCount,
      entryCount: figures.entryCount,
      total,
      totalInWords: amountInChineseWords(total),
      byFund: { county: formatMoney(money(figures.county)), hardship: formatMoney(money(figures.hardship)) },
      arrearsTotal: formatMoney(money(figures.arrears)),
      sha256: roll.sha256,
      issuedAt: isoOrNull(roll.issuedAt),
      createdAt: iso(roll.createdAt),
    };
  }

  async function load(context: RequestContext, id: string) {
    const roll = await findRollInScope(db, context.actor, id);
    if (!roll) throw notFound('roll');
    return roll;
  }

  /** A change to a roll: under the region's roll lock and the roll's row lock, in one transaction. */
  async function change<T>(context: RequestContext, id: string, work: (tx: Transaction, roll: RollRow) => Promise<T>): Promise<T> {
    return retryingConflicts(() =>
      db.transaction(async (tx) => {
        await lockRegionRolls(tx, context.actor.regionCode!);
        const roll = await findRollInScope(tx, context.actor, id, { lock: true });
        if (!roll) throw notFound('roll');
        return work(tx, roll);
      }),
    );
  }

  const audit = (tx: Transaction, context: RequestContext, action: Parameters<typeof recordAudit>[2]['action'], roll: RollRow, data: Record<string, unknown>) =>
    recordAudit(tx, context, { action, entityType: 'roll', entityId: roll.id, regionCode: roll.regionCode, data: { number: roll.number, ...data } });

  return {
    /** POST /allowance/rolls: a draft for a month of the caller's region. */
    async create(context: RequestContext, month: string) {
      const regionCode = context.actor.regionCode!;
      const current = chinaMonth(context.now);
      if (month > current) throw new AppError('SERVICE_NOT_YET_DELIVERED', `${month} has not begun (this month is ${current}); a roll is built for a month that has begun`);
      const id = await retryingConflicts(() =>
        db.transaction(async (tx) => {
          await lockRegionRolls(tx, regionCode);
          const latest = await latestRollMonth(tx, regionCode);
          if (latest !== null && month <= latest) throw invalidState(`the region's latest roll is for ${latest}; a new roll is for a later month (cancel that roll to build it again)`);
          const plan = await planFor(tx, regionCode, month);
          const count = await countRollsOfMonth(tx, regionCode, month);
          const rollId = newId();
          const number = `${regionCode}-GA-${month}${count > 0 ? `-${count + 1}` : ''}`;
          await insertRoll(tx, { id: rollId, number, regionCode, month, status: 'draft', createdByUserId: context.actor.id, createdAt: context.now });
          await insertTransfers(
            tx,
            plan.transfers.map((transfer) => ({
              rollId,
              transferNo: transfer.transferNo,
              beneficiaryId: transfer.beneficiary.id,
              childName: transfer.beneficiary.childName,
              communityName: transfer.beneficiary.communityName,
              communityCode: transfer.beneficiary.communityCode,
              bank: transfer.beneficiary.bank,
              accountName: transfer.beneficiary.accountName,
              accountNumber: transfer.beneficiary.accountNumber,
              amount: transfer.amount,
              status: 'pending',
            })),
          );
          await insertEntries(
            tx,
            plan.transfers.flatMap((transfer) =>
              transfer.entries.map((entry) => ({
                rollId,
                transferNo: transfer.transferNo,
                beneficiaryId: transfer.beneficiary.id,
                childId: transfer.beneficiary.childId,
                month: entry.month,
                tier: entry.tier,
                fund: entry.fund,
                standardId: entry.standardId,
                amount: entry.amount,
                live: true,
              })),
            ),
          );
          const total = formatMoney(plan.transfers.reduce((sum, transfer) => sum.plus(money(transfer.amount)), money('0')));
          await recordAudit(tx, context, {
            action: 'roll.created',
            entityType: 'roll',
            entityId: rollId,
            regionCode,
            data: { number, month, transferCount: plan.transfers.length, total, heldCount: plan.held.length },
          });
          return rollId;
        }),
      );
      return this.get(context, id);
    },

    async get(context: RequestContext, id: string) {
      const roll = await load(context, id);
      const [summary, transfers, entries, objections] = await Promise.all([summaryOf(roll), transfersOf(db, id), entriesOfRoll(db, id), objectionsOf(db, id)]);
      const byTransfer = entriesByTransfer(entries);
      const held =
        roll.status === 'draft' || roll.status === 'published'
          ? presentHeld((await planFor(db, roll.regionCode, roll.month)).held)
          : roll.status === 'cancelled'
            ? []
            : ((roll.heldAtIssue as ReturnType<typeof presentHeld> | null) ?? []);
      return {
        ...summary,
        transfers: transfers.map((transfer) => presentTransfer(context.actor, transfer, byTransfer.get(transfer.transferNo) ?? [])),
        held,
        objections: objections.map(({ objection, childName }) => ({ beneficiaryId: objection.beneficiaryId, childName, reason: objection.reason, at: iso(objection.recordedAt) })),
      };
    },

    async list(context: RequestContext, query: RollListQuery) {
      const rows = await listRollsInScope(db, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows, query.limit);
      return { items: await Promise.all(result.items.map(summaryOf)), nextCursor: result.nextCursor };
    },

    async publish(context: RequestContext, id: string, from: string) {
      await change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft') throw invalidState(`the roll is ${roll.status}; only a draft is published`);
        const noticeTo = addDays(from, NOTICE_DAYS - 1);
        await updateRoll(tx, id, { status: 'published', noticeFrom: from, noticeTo, publishedAt: context.now });
        await audit(tx, context, 'roll.published', roll, { noticeFrom: from, noticeTo });
      });
      return this.get(context, id);
    },

    /** An objection during the notice takes the child off and holds it until civil affairs decides. */
    async object(context: RequestContext, id: string, body: { beneficiaryId: string; reason: string }) {
      await change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; objections are taken on a draft or published roll`);
        const found = await findBeneficiaryInScope(tx, context.actor, body.beneficiaryId, { lock: true });
        if (!found) throw notFound('beneficiary');
        const takenOff = await takeOffEntries(tx, body.beneficiaryId, 'objection', { rollId: id });
        if (takenOff.length === 0) throw invalidState('the beneficiary has no entry in this roll');
        const otherRolls = await takeOffEntries(tx, body.beneficiaryId, 'hold');
        await insertObjection(tx, { id: newId(), rollId: id, beneficiaryId: body.beneficiaryId, reason: body.reason, recordedByUserId: context.actor.id, recordedAt: context.now });
        await placeHold(tx, { id: newId(), beneficiaryId: body.beneficiaryId, reason: 'objection', note: body.reason, rollId: id, placedByUserId: context.actor.id, placedAt: context.now });
        await audit(tx, context, 'roll.objection', roll, { beneficiaryId: body.beneficiaryId, reason: body.reason });
        await recordAudit(tx, context, {
          action: 'beneficiary.held',
          entityType: 'beneficiary',
          entityId: body.beneficiaryId,
          regionCode: found.beneficiary.regionCode,
          data: { childId: found.beneficiary.childId, reason: 'objection', note: body.reason, rollId: id, takenOffRolls: [id, ...otherRolls] },
        });
      });
      return this.get(context, id);
    },

    /**
     * POST /allowance/rolls/:id/issue: after the notice period, freezes the roll. Its content is
     * read, hashed and its summary PDF rendered under the roll's lock, so nothing can change in
     * between; a county's roll is a few thousand transfers at most.
     */
    async issue(context: RequestContext, id: string) {
      await change(context, id, async (tx, roll) => {
        if (roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; a published roll is issued`);
        const today = chinaDate(context.now);
        if (today <= roll.noticeTo!) {
          throw new AppError('NOTICE_PERIOD_NOT_OVER', `the public notice runs until ${roll.noticeTo}; the roll can be issued from the next day`);
        }
        const [figures, transfers, entries, plan] = await Promise.all([rollFigures(tx, roll), transfersOf(tx, id), entriesOfRoll(tx, id), planFor(tx, roll.regionCode, roll.month)]);
        const byTransfer = entriesByTransfer(entries);
        const issuedAt = context.now;
        const canonical = canonicalOf(roll, issuedAt, figures, transfers, byTransfer);
        const sha256 = canonicalRollSha256(canonical);
        const pdf = Buffer.from(
          await offload.run('allowanceSummaryPdf', {
            number: roll.number,
            regionCode: roll.regionCode,
            month: roll.month,
            noticeFrom: roll.noticeFrom!,
            noticeTo: roll.noticeTo!,
            issuedAt,
            transferCount: transfers.length,
            entryCount: figures.entryCount,
            byFund: canonical.byFund,
            arrearsTotal: canonical.arrearsTotal,
            total: canonical.total,
            totalInWords: amountInChineseWords(canonical.total),
            heldCount: plan.held.length,
            sha256,
            communities: communitiesOf(roll, transfers, byTransfer),
          }),
        );
        const settled = transfers.length === 0;
        await updateRoll(tx, id, {
          status: settled ? 'settled' : 'issued',
          issuedAt,
          issuedByUserId: context.actor.id,
          sha256,
          issuedTotal: canonical.total,
          heldAtIssue: presentHeld(plan.held),
          settledAt: settled ? issuedAt : null,
        });
        await insertRollDocument(tx, { rollId: id, pdf, pdfSha256: sha256Hex(pdf), createdAt: issuedAt });
        await audit(tx, context, 'roll.issued', roll, { total: canonical.total, transferCount: transfers.length, sha256 });
        if (settled) await audit(tx, context, 'roll.settled', roll, { paid: 0, failed: 0 });
      });
      return this.get(context, id);
    },

    async cancel(context: RequestContext, id: string) {
      await change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; a draft or published roll is cancelled`);
        await endEntriesOfRoll(tx, id);
        await updateRoll(tx, id, { status: 'cancelled', cancelledAt: context.now });
        await audit(tx, context, 'roll.cancelled', roll, {});
      });
      return this.get(context, id);
    },

    /**
     * The bank's results. The whole set is checked first (every transfer number of the roll; no
     * result that contradicts one recorded) and then written in one transaction: a refused set
     * changes nothing, and a set sent again changes nothing either.
     */
    async recordResults(context: RequestContext, id: string, results: TransferResult[]) {
      await change(context, id, async (tx, roll) => {
        if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; results are recorded for an issued roll`);
        const transfers = new Map((await transfersOf(tx, id)).map((transfer) => [transfer.transferNo, transfer]));
        const unknown = results.filter((result) => !transfers.has(result.transferNo));
        if (unknown.length > 0) {
          throw validationFailed(
            `the roll has no transfer numbered ${unknown.map((result) => result.transferNo).join(', ')}`,
            unknown.map((result) => ({ field: 'transferNo', transferNo: result.transferNo })),
          );
        }
        const seen = new Map<number, TransferResult>();
        for (const result of results) {
          const earlier = seen.get(result.transferNo);
          if (earlier && earlier.status !== result.status) throw validationFailed(`transfer ${result.transferNo} is given two different results`, [{ field: 'transferNo', transferNo: result.transferNo }]);
          seen.set(result.transferNo, result);
        }
        const contradicting = [...seen.values()].filter((result) => {
          const status = transfers.get(result.transferNo)!.status;
          return status !== 'pending' && status !== result.status;
        });
        if (contradicting.length > 0) {
          throw invalidState(
            `transfers ${contradicting.map((result) => result.transferNo).join(', ')} already have a different result`,
          );
        }
        const fresh = [...seen.values()].filter((result) => transfers.get(result.transferNo)!.status === 'pending');
        if (fresh.length === 0) return;
        for (const result of fresh) {
          const transfer = transfers.get(result.transferNo)!;
          const failureReason = result.status === 'failed' ? (result.reason || '转账失败') : null;
          await recordTransferResult(tx, id, result.transferNo, { status: result.status, failureReason, userId: context.actor.id, at: context.now });
          if (result.status === 'failed') {
            const placed = await placeHold(tx, {
              id: newId(),
              beneficiaryId: transfer.beneficiaryId,
              reason: 'bank_failure',
              note: failureReason,
              rollId: id,
              placedByUserId: context.actor.id,
              placedAt: context.now,
            });
            if (placed) {
              await takeOffEntries(tx, transfer.beneficiaryId, 'hold');
              await recordAudit(tx, context, {
                action: 'beneficiary.held',
                entityType: 'beneficiary',
                entityId: transfer.beneficiaryId,
                regionCode: roll.regionCode,
                data: { reason: 'bank_failure', note: failureReason, rollId: id, transferNo: result.transferNo },
              });
            }
            await shrinkOverpaymentsForFailedTransfer(tx, context, id, result.transferNo);
          }
        }
        await audit(tx, context, 'roll.results_recorded', roll, {
          paid: fresh.filter((result) => result.status === 'paid').map((result) => result.transferNo),
          failed: fresh.filter((result) => result.status === 'failed').map((result) => result.transferNo),
        });
        if (roll.status === 'issued' && (await pendingTransferCount(tx, id)) === 0) {
          await updateRoll(tx, id, { status: 'settled', settledAt: context.now });
          const all = [...transfers.values()].map((transfer) => seen.get(transfer.transferNo)?.status ?? transfer.status);
          await audit(tx, context, 'roll.settled', roll, { paid: all.filter((status) => status === 'paid').length, failed: all.filter((status) => status === 'failed').length });
        }
      });
      return this.get(context, id);
    },

    /** The public notice of a published (or later) roll, drawn as the roll stands. */
    async notice(context: RequestContext, id: string) {
      const roll = await load(context, id);
      if (roll.status === 'draft' || roll.status === 'cancelled') {
        throw invalidState(`the roll is ${roll.status}; the notice exists once the roll is published (its period is set then)`);
      }
      const [transfers, entries, settings] = await Promise.all([transfersOf(db, id), entriesOfRoll(db, id), findRegionSettings(db, roll.regionCode)]);
      const byTransfer = entriesByTransfer(entries);
      const communities = new Map<string, NoticeCommunity & { transfers: NoticeCommunity['transfers'][number][] }>();
      for (const transfer of transfers) {
        const community = communities.get(transfer.communityName) ?? { name: transfer.communityName, code: transfer.communityCode, transfers: [], total: '0.00' };
        const own = byTransfer.get(transfer.transferNo) ?? [];
        community.transfers.push({
          childName: transfer.childName,
          tiers: [...new Set(own.map((entry) => entry.tier as Tier))],
          months: own.map((entry) => entry.month),
          amount: formatMoney(money(transfer.amount)),
        });
        community.total = formatMoney(money(community.total).plus(money(transfer.amount)));
        communities.set(transfer.communityName, community);
      }
      const pdf = await offload.run('allowanceNoticePdf', {
        number: roll.number,
        regionCode: roll.regionCode,
        month: roll.month,
        noticeFrom: roll.noticeFrom!,
        noticeTo: roll.noticeTo!,
        supervisionPhone: settings?.supervisionPhone ?? null,
        createdAt: roll.publishedAt ?? roll.createdAt,
        communities: [...communities.values()],
      });
      return { number: roll.number, pdf: Buffer.from(pdf) };
    },

    /** The summary PDF as stored at issue, after checking it against its stored hash. */
    async pdf(context: RequestContext, id: string) {
      const roll = await load(context, id);
      if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; its summary exists once it is issued`);
      const document = await findRollDocument(db, id);
      if (!document || sha256Hex(document.pdf) !== document.pdfSha256) throw new RollDocumentIntegrityError(`stored summary PDF of roll ${roll.number} does not match its hash`);
      return { number: roll.number, pdf: document.pdf, sha256: document.pdfSha256 };
    },

    /** The bank transfer list (代发清单) of an issued roll. */
    async bankList(context: RequestContext, id: string, kind: 'xlsx' | 'csv') {
      const roll = await load(context, id);
      if (roll.status !== 'issued' && roll.status !== 'settled') throw invalidState(`the roll is ${roll.status}; the bank list exists once it is issued`);
      const [transfers, entries] = await Promise.all([transfersOf(db, id), entriesOfRoll(db, id)]);
      const byTransfer = entriesByTransfer(entries);
      const list: BankList = {
        number: roll.number,
        total: formatMoney(money(roll.issuedTotal!)),
        transfers: transfers.map((transfer) => ({
          transferNo: transfer.transferNo,
          accountName: transfer.accountName,
          accountNumber: transfer.accountNumber,
          bank: transfer.bank,
          amount: formatMoney(money(transfer.amount)),
          months: (byTransfer.get(transfer.transferNo) ?? []).map((entry) => entry.month),
        })),
      };
      return { number: roll.number, bytes: kind === 'xlsx' ? await renderBankListXlsx(list) : renderBankListCsv(list) };
    },
  };
}

export type RollsService = ReturnType<typeof createRollsService>;
