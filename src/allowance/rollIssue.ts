import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { sha256Hex } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { iso } from '../http/schemas.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import type { Offload } from '../workers/pool.js';
import { canonicalRollSha256InSlices, type CanonicalRoll } from './rollCanonical.js';
import { openAllowanceAccount } from './allowanceAccounts.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { auditRoll, changeRoll, entriesByTransfer, namesOfRollPeople, planFor, presentHeld, type RollEntry } from './rollParts.js';
import { mapInSlices } from './slices.js';
import { communityFiguresOf, entriesOfRoll, insertRollDocument, rollFigures, transfersOf, updateRoll, type RollFigures, type RollRow, type TransferRow } from './rolls.repository.js';
import { regionName } from '../regions/divisions.js';
import { officeNames } from '../regions/offices.js';

// POST /allowance/rolls/:id/issue: after the notice period the roll is frozen: its content hashed,
// its summary PDF rendered once, the held beneficiaries kept as they stood.

async function canonicalOf(cipher: FieldCipher, roll: RollRow, issuedAt: Date, figures: RollFigures, transfers: TransferRow[], entries: Map<number, RollEntry[]>): Promise<CanonicalRoll> {
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
    transfers: await mapInSlices(transfers, (transfer) => ({
      transferNo: transfer.transferNo,
      beneficiaryId: transfer.beneficiaryId,
      childName: transfer.childName,
      community: transfer.communityName,
      bank: transfer.bank,
      accountName: transfer.accountName,
      accountNumber: openAllowanceAccount(cipher, transfer.accountNumberSealed),
      amount: formatMoney(money(transfer.amount)),
      entries: (entries.get(transfer.transferNo) ?? []).map((entry) => ({ month: entry.month, tier: entry.tier, fund: entry.fund, amount: formatMoney(money(entry.amount)) })),
    })),
  };
}

export function createRollIssue(deps: { db: Database; cipher: FieldCipher; offload: Offload }) {
  const { db, cipher, offload } = deps;
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
        // Nobody moves money alone: another civil affairs officer of the region issues what one built.
        requireSecondPerson(context.actor, roll.createdByUserId, { secondStep: `issuing roll ${roll.number}`, firstStep: 'built it' });
        const [figures, transfers, entries, communities, plan, names, offices] = await Promise.all([
          rollFigures(tx, roll.id),
          transfersOf(tx, id),
          entriesOfRoll(tx, id),
          communityFiguresOf(tx, roll),
          planFor(tx, roll.regionCode, roll.month),
          namesOfRollPeople(tx, [roll]),
          officeNames(tx, roll.regionCode),
        ]);
        const byTransfer = await entriesByTransfer(entries);
        const issuedAt = context.now;
        const canonical = await canonicalOf(cipher, roll, issuedAt, figures, transfers, byTransfer);
        const sha256 = await canonicalRollSha256InSlices(canonical);
        const pdf = Buffer.from(
          await offload.run('allowanceSummaryPdf', {
            number: roll.number,
            issuer: offices.civilAffairs,
            financeOffice: offices.finance,
            regionName: regionName(roll.regionCode)?.fullName ?? null,
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
            builtBy: names.get(roll.createdByUserId) ?? '',
            issuedBy: context.actor.name,
            communities,
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
        await auditRoll(tx, context, 'roll.issued', roll, { total: canonical.total, transferCount: transfers.length, sha256, builtByUserId: roll.createdByUserId });
        if (settled) await auditRoll(tx, context, 'roll.settled', roll, { paid: 0, failed: 0 });
      });
    },
  };
}
