import type { Database } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import { sha256Hex } from '../domain/sha256.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import { regionName } from '../regions/divisions.js';
import { officeNames } from '../regions/offices.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import type { Offload } from '../workers/pool.js';
import type { AllowanceNoticeDocument, NoticeCommunity, NoticeTransfer } from '../../reports/allowanceNotice.js';
import type { BankList } from '../../reports/bankTransferList.js';
import { communityKey, type Tier } from './allowanceRule.js';
import { entriesByTransfer } from './rollParts.js';
import { forEachInSlices, mapInSlices } from './slices.js';
import { entriesOfRoll, findRollDocument, findRollInScope, transfersOf } from './rolls.repository.js';
import { openAllowanceAccount } from './allowanceAccounts.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// A roll's documents: the public notice (drawn as the roll stands), the summary PDF (stored at
// issue) and the bank transfer list.

export class RollDocumentIntegrityError extends Error {}

export function createRollDocuments(deps: { db: Database; cipher: FieldCipher; offload: Offload }) {
  const { db, cipher, offload } = deps;

  async function load(context: RequestContext, id: string) {
    const roll = await findRollInScope(db, context.actor, id);
    if (!roll) throw notFound('roll');
    return roll;
  }

  return {
    /**
     * The public notice of a published (or later) roll: one part per community, a community being
     * its code when it has one, else its name (two villages of one name are two parts).
     */
    async notice(context: RequestContext, id: string) {
      const roll = await load(context, id);
      if (roll.status === 'draft' || roll.status === 'cancelled') {
        throw invalidState(`the roll is ${roll.status}; the notice exists once the roll is published (its period is set then)`);
      }
      const [transfers, entries, settings, offices] = await Promise.all([transfersOf(db, id), entriesOfRoll(db, id), findRegionSettings(db, roll.regionCode), officeNames(db, roll.regionCode)]);
      const byTransfer = await entriesByTransfer(entries);
      const communities = new Map<string, { name: string; code: string | null; transfers: NoticeTransfer[]; total: ReturnType<typeof money> }>();
      await forEachInSlices(transfers, (transfer) => {
        const key = communityKey(transfer);
        let community = communities.get(key);
        if (!community) {
          community = { name: transfer.communityName, code: transfer.communityCode, transfers: [], total: money('0') };
          communities.set(key, community);
        }
        const own = byTransfer.get(transfer.transferNo) ?? [];
        community.transfers.push({
          childName: transfer.childName,
          tiers: [...new Set(own.map((entry) => entry.tier as Tier))],
          months: own.map((entry) => entry.month),
          amount: formatMoney(money(transfer.amount)),
        });
        community.total = community.total.plus(money(transfer.amount));
      });
      const notice: AllowanceNoticeDocument = {
        number: roll.number,
        issuer: offices.civilAffairs,
        regionName: regionName(roll.regionCode)?.fullName ?? null,
        regionCode: roll.regionCode,
        month: roll.month,
        noticeFrom: roll.noticeFrom!,
        noticeTo: roll.noticeTo!,
        supervisionPhone: settings?.supervisionPhone ?? null,
        createdAt: roll.publishedAt ?? roll.createdAt,
        communities: [...communities.values()].map((community): NoticeCommunity => ({ ...community, total: formatMoney(community.total) })),
      };
      const pdf = await offload.run('allowanceNoticePdf', { json: JSON.stringify(notice) });
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
      const byTransfer = await entriesByTransfer(entries);
      const list: BankList = {
        number: roll.number,
        total: formatMoney(money(roll.issuedTotal!)),
        transfers: await mapInSlices(transfers, (transfer) => ({
          transferNo: transfer.transferNo,
          accountName: transfer.accountName,
          accountNumber: openAllowanceAccount(cipher, transfer.accountNumberSealed),
          bank: transfer.bank,
          amount: formatMoney(money(transfer.amount)),
          months: (byTransfer.get(transfer.transferNo) ?? []).map((entry) => entry.month),
        })),
      };
      // Laid out in a worker thread, as the PDFs are.
      return { number: roll.number, bytes: Buffer.from(await offload.run('bankList', { json: JSON.stringify(list), kind })) };
    },
  };
}
