import type { Database } from '../db/client.js';
import { formatMoney, money } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import { regionName } from '../regions/divisions.js';
import { officeNames } from '../regions/offices.js';
import { findRegionSettings } from '../regions/regions.repository.js';
import type { Offload } from '../workers/pool.js';
import type { AllowanceNoticeDocument, NoticeCommunity, NoticeTransfer } from '../../reports/allowanceNotice.js';
import { communityKey, type Tier } from './allowanceRule.js';
import { allowanceRollProgramme } from './allowanceRollProgramme.js';
import { entriesByTransfer } from '../monthlyRoll/rollParts.js';
import { forEachInSlices } from '../monthlyRoll/slices.js';
import { entriesOfRoll, findRollInScope, transfersOf } from '../monthlyRoll/rolls.repository.js';

// The care allowance's public notice of a roll (公示), drawn as the roll stands. The summary PDF
// and the bank list are the monthly-roll kit's (src/monthlyRoll/rollDocuments.ts).

export function createRollNotice(deps: { db: Database; offload: Offload }) {
  const { db, offload } = deps;
  const programme = allowanceRollProgramme;
  const t = programme.tables;

  async function load(context: RequestContext, id: string) {
    const roll = await findRollInScope(db, programme, context.actor, id);
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
      const [transfers, entries, settings, offices] = await Promise.all([transfersOf(db, t, id), entriesOfRoll(db, t, id), findRegionSettings(db, roll.regionCode), officeNames(db, roll.regionCode)]);
      const byTransfer = await entriesByTransfer(entries);
      const communities = new Map<string, { name: string; code: string | null; transfers: NoticeTransfer[]; total: ReturnType<typeof money> }>();
      await forEachInSlices(transfers, (transfer) => {
        const key = communityKey({ communityName: transfer.placeName, communityCode: transfer.placeCode });
        let community = communities.get(key);
        if (!community) {
          community = { name: transfer.placeName, code: transfer.placeCode, transfers: [], total: money('0') };
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
  };
}
