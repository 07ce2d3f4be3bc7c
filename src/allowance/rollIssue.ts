import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, money, type Money } from '../domain/money.js';
import { sha256Hex } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import type { Offload } from '../workers/pool.js';
import type { SummaryCommunity } from '../../reports/allowanceSummary.js';
import { communityKey } from './allowanceRule.js';
import { canonicalRollSha256, type CanonicalRoll } from './rollCanonical.js';
import { auditRoll, changeRoll, entriesByTransfer, planFor, presentHeld, type RollEntry } from './rollParts.js';
import { entriesOfRoll, insertRollDocument, rollFigures, transfersOf, updateRoll, type RollFigures, type RollRow, type TransferRow } from './rolls.repository.js';

// POST /allowance/rolls/:id/issue: after the notice period the roll is frozen: its content hashed,
// its summary PDF rendered once, the held beneficiaries kept as they stood.

function canonicalOf(roll: RollRow, issuedAt: Date, figures: RollFigures, transfers: TransferRow[], entries: Map<number, RollEntry[]>): CanonicalRoll {
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

/**
 * Per community, in transfer order: what the summary PDF lists. A community is its code when it
 * has one, else its name: two villages of one name are two lines, each named with its code.
 */
export function communitiesOf(roll: Pick<RollRow, 'month'>, transfers: TransferRow[], entries: Map<number, RollEntry[]>): SummaryCommunity[] {
  const communities = new Map<string, { name: string; code: string | null; transferCount: number; entryCount: number; county: Money; hardship: Money; arrears: Money }>();
  for (const transfer of transfers) {
    const key = communityKey(transfer);
    let figures = communities.get(key);
    if (!figures) {
      figures = { name: transfer.communityName, code: transfer.communityCode, transferCount: 0, entryCount: 0, county: money('0'), hardship: money('0'), arrears: money('0') };
      communities.set(key, figures);
    }
    figures.transferCount += 1;
    for (const entry of entries.get(transfer.transferNo) ?? []) {
      figures.entryCount += 1;
      if (entry.fund === 'county') figures.county = figures.county.plus(money(entry.amount));
      else figures.hardship = figures.hardship.plus(money(entry.amount));
      if (entry.month < roll.month) figures.arrears = figures.arrears.plus(money(entry.amount));
    }
  }
  return [...communities.values()].map((figures) => ({
    name: figures.name,
    code: figures.code,
    transferCount: figures.transferCount,
    entryCount: figures.entryCount,
    county: formatMoney(figures.county),
    hardship: formatMoney(figures.hardship),
    arrears: formatMoney(figures.arrears),
    total: formatMoney(figures.county.plus(figures.hardship)),
  }));
}

export function createRollIssue(deps: { db: Database; offload: Offload }) {
  const { db, offload } = deps;
  return {
    /**
     * Issues a published roll once its notice is over. Its content is read, hashed and its summary
     * PDF rendered under the roll's lock, so nothing can change in between.
     */
    async issue(context: RequestContext, id: string): Promise<void> {
      await changeRoll(db, context, id, async (tx, roll) => {
        if (roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; a published roll is issued`);
        const today = chinaDate(context.now);
        if (today <= roll.noticeTo!) {
          throw new AppError('NOTICE_PERIOD_NOT_OVER', `the public notice runs until ${roll.noticeTo}; the roll can be issued from the next day`);
        }
        const [figures, transfers, entries, plan] = await Promise.all([rollFigures(tx, roll.id), transfersOf(tx, id), entriesOfRoll(tx, id), planFor(tx, roll.regionCode, roll.month)]);
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
        await auditRoll(tx, context, 'roll.issued', roll, { total: canonical.total, transferCount: transfers.length, sha256 });
        if (settled) await auditRoll(tx, context, 'roll.settled', roll, { paid: 0, failed: 0 });
      });
    },
  };
}
