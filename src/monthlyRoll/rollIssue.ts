import type { Database } from '../db/client.js';
import { chinaDate } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { sha256Hex, sha256OfJsonInSlices } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { iso } from '../http/schemas.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import { regionName } from '../regions/divisions.js';
import { officeNames } from '../regions/offices.js';
import type { Offload } from '../workers/pool.js';
import type { RollProgramme } from './programme.js';
import { auditRoll, changeRoll, entriesByTransfer, namesOfRollPeople, presentHeldOf } from './rollParts.js';
import { entriesOfRoll, insertRollDocument, placeFiguresOf, rollFigures, transfersOf, updateRoll } from './rolls.repository.js';

// POST …/rolls/:id/issue: the roll is frozen — its content hashed (the programme's canonical form),
// its summary PDF rendered once, the held payees kept as they stood — by another civil affairs
// officer than its builder. A roll with a public notice is issued once the notice is over.

/** Transfers per slice of the hash: a province's roll would otherwise hold every other request. */
const TRANSFERS_PER_HASH_SLICE = 500;

export function createRollIssue(deps: { db: Database; cipher: FieldCipher; programme: RollProgramme; offload: Offload }) {
  const { db, cipher, programme, offload } = deps;
  const t = programme.tables;
  return {
    /** Its content is read, hashed and its summary PDF rendered under the roll's lock, so nothing can change in between. */
    async issue(context: RequestContext, id: string): Promise<void> {
      await changeRoll(db, programme, context, id, async (tx, roll) => {
        const issuable = programme.notice ? 'published' : 'draft';
        if (roll.status !== issuable) throw invalidState(`the roll is ${roll.status}; a ${issuable} roll is issued`);
        if (programme.notice) {
          const today = chinaDate(context.now);
          if (today <= roll.noticeTo!) throw new AppError('NOTICE_PERIOD_NOT_OVER', `the public notice runs until ${roll.noticeTo}; the roll can be issued from the next day`);
        }
        // Nobody moves money alone: another civil affairs officer of the region issues what one built.
        requireSecondPerson(context.actor, roll.createdByUserId, { secondStep: `issuing roll ${roll.number}`, firstStep: 'built it' });
        const [figures, transfers, entries, places, plan, names, offices] = await Promise.all([
          rollFigures(tx, programme, roll.id),
          transfersOf(tx, t, id),
          entriesOfRoll(tx, t, id),
          placeFiguresOf(tx, programme, roll),
          programme.plan(tx, roll.regionCode, roll.month),
          namesOfRollPeople(tx, [roll]),
          officeNames(tx, roll.regionCode),
        ]);
        const byTransfer = await entriesByTransfer(entries);
        const issuedAt = context.now;
        const total = formatMoney(money(figures.total));
        const split = Object.fromEntries(Object.keys(programme.split.keys).map((key) => [key, formatMoney(money(figures.split[key]!))]));
        const arrearsTotal = formatMoney(money(figures.arrears));
        const head = programme.canonical.head({
          number: roll.number,
          regionCode: roll.regionCode,
          month: roll.month,
          noticeFrom: roll.noticeFrom,
          noticeTo: roll.noticeTo,
          issuedAt: iso(issuedAt),
          transferCount: transfers.length,
          total,
          split,
          arrearsTotal,
        });
        const sha256 = await sha256OfJsonInSlices(
          JSON.stringify(head),
          transfers,
          (transfer) => JSON.stringify(programme.canonical.transfer(transfer, programme.openAccountNumber(cipher, transfer.accountNumberSealed), byTransfer.get(transfer.transferNo) ?? [])),
          TRANSFERS_PER_HASH_SLICE,
        );
        const name = regionName(roll.regionCode)?.fullName ?? null;
        const words = programme.summary;
        const pdf = Buffer.from(
          await offload.run('rollSummaryPdf', {
            title: words.title,
            number: roll.number,
            issuer: offices.civilAffairs,
            financeOffice: offices.finance,
            regionName: name,
            regionCode: roll.regionCode,
            month: roll.month,
            issuedAt,
            details: words.details({ ...roll, regionName: name, issuer: offices.civilAffairs, issuedAt, heldCount: plan.held.length }),
            transferCount: transfers.length,
            entryCount: figures.entryCount,
            groupHeading: words.groupHeading,
            groupWidth: words.groupWidth,
            split: Object.keys(programme.split.keys).map((key) => ({ ...words.splitColumns[key]!, total: split[key]! })),
            arrearsTotal,
            total,
            totalInWords: amountInChineseWords(total),
            heldCount: plan.held.length,
            sha256,
            builtBy: names.get(roll.createdByUserId) ?? '',
            issuedBy: context.actor.name,
            groups: places.map((place) => ({
              label: words.groupLabel(place),
              transferCount: place.transferCount,
              entryCount: place.entryCount,
              split: Object.keys(programme.split.keys).map((key) => place.split[key]!),
              arrears: place.arrears,
              total: place.total,
            })),
          }),
        );
        const settled = transfers.length === 0;
        await updateRoll(tx, t, id, {
          status: settled ? 'settled' : 'issued',
          issuedAt,
          issuedByUserId: context.actor.id,
          sha256,
          issuedTotal: total,
          heldAtIssue: presentHeldOf(programme, plan.held),
          settledAt: settled ? issuedAt : null,
        });
        await insertRollDocument(tx, t, { rollId: id, pdf, pdfSha256: sha256Hex(pdf), createdAt: issuedAt });
        await auditRoll(tx, context, programme, 'issued', roll, { total, transferCount: transfers.length, sha256, builtByUserId: roll.createdByUserId });
        if (settled) await auditRoll(tx, context, programme, 'settled', roll, { paid: 0, failed: 0 });
      });
    },
  };
}
