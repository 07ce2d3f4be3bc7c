import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaMonth } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { iso } from '../http/schemas.js';
import { inProcess, type Offload } from '../workers/pool.js';
import type { RollListQuery, TransferResult } from './allowance.schemas.js';
import { findBeneficiaryInScope, placeHold } from './beneficiaries.repository.js';
import { createRollDocuments } from './rollDocuments.js';
import { createRollIssue } from './rollIssue.js';
import { createRollResults } from './rollResults.js';
import { auditRoll, changeRoll, entriesByTransfer, namesOfRollPeople, planFor, presentHeld, presentRollSummary, presentTransfer } from './rollParts.js';
import { mapInSlices } from './slices.js';
import {
  countRollsOfMonth,
  endEntriesOfRoll,
  entriesOfRoll,
  findRollInScope,
  insertEntries,
  insertObjection,
  insertRoll,
  insertTransfers,
  latestRollMonth,
  listRollsInScope,
  lockRegionRolls,
  objectionsOf,
  rollFigures,
  rollFiguresOf,
  takeOffEntries,
  transfersOf,
  updateRoll,
} from './rolls.repository.js';

// The monthly roll (月度发放名册): built as a draft, published for its 7-day notice, objections
// taken, issued to finance (rollIssue.ts), the bank's results recorded (rollResults.ts), its
// documents drawn (rollDocuments.ts), or cancelled.

/** The public notice runs 7 days, the first included (公示7天). */
export const NOTICE_DAYS = 7;

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

export function createRollsService(deps: { db: Database; offload?: Offload }) {
  const { db } = deps;
  // The PDFs are laid out in a worker thread, as the batch's are.
  const offload = deps.offload ?? inProcess;
  const issuing = createRollIssue({ db, offload });
  const results = createRollResults({ db });

  async function get(context: RequestContext, id: string) {
    const roll = await findRollInScope(db, context.actor, id);
    if (!roll) throw notFound('roll');
    const [figures, transfers, entries, objections, names] = await Promise.all([
      rollFigures(db, id),
      transfersOf(db, id),
      entriesOfRoll(db, id),
      objectionsOf(db, id),
      namesOfRollPeople(db, [roll]),
    ]);
    const byTransfer = await entriesByTransfer(entries);
    const held =
      roll.status === 'draft' || roll.status === 'published'
        ? presentHeld((await planFor(db, roll.regionCode, roll.month)).held)
        : roll.status === 'cancelled'
          ? []
          : ((roll.heldAtIssue as ReturnType<typeof presentHeld> | null) ?? []);
    return {
      ...presentRollSummary(roll, figures, names),
      transfers: await mapInSlices(transfers, (transfer) => presentTransfer(context.actor, transfer, byTransfer.get(transfer.transferNo) ?? [])),
      held,
      objections: objections.map(({ objection, childName }) => ({ beneficiaryId: objection.beneficiaryId, childName, reason: objection.reason, at: iso(objection.recordedAt) })),
    };
  }

  const change = (context: RequestContext, id: string, work: Parameters<typeof changeRoll>[3]) => changeRoll(db, context, id, work).then(() => get(context, id));

  return {
    get,
    ...createRollDocuments({ db, offload }),

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
      return get(context, id);
    },

    /** GET /allowance/rolls: the region's rolls, their figures read in one grouped statement. */
    async list(context: RequestContext, query: RollListQuery) {
      const rows = await listRollsInScope(db, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows, query.limit);
      const [figures, names] = await Promise.all([
        rollFiguresOf(
          db,
          result.items.map((roll) => roll.id),
        ),
        namesOfRollPeople(db, result.items),
      ]);
      return { items: result.items.map((roll) => presentRollSummary(roll, figures.get(roll.id)!, names)), nextCursor: result.nextCursor };
    },

    publish(context: RequestContext, id: string, from: string) {
      return change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft') throw invalidState(`the roll is ${roll.status}; only a draft is published`);
        const noticeTo = addDays(from, NOTICE_DAYS - 1);
        await updateRoll(tx, id, { status: 'published', noticeFrom: from, noticeTo, publishedAt: context.now });
        await auditRoll(tx, context, 'roll.published', roll, { noticeFrom: from, noticeTo });
      });
    },

    /** An objection during the notice takes the child off and holds it until civil affairs decides. */
    object(context: RequestContext, id: string, body: { beneficiaryId: string; reason: string }) {
      return change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; objections are taken on a draft or published roll`);
        const found = await findBeneficiaryInScope(tx, context.actor, body.beneficiaryId, { lock: true });
        if (!found) throw notFound('beneficiary');
        const takenOff = await takeOffEntries(tx, body.beneficiaryId, 'objection', { rollId: id });
        if (takenOff.length === 0) throw invalidState('the beneficiary has no entry in this roll');
        const otherRolls = await takeOffEntries(tx, body.beneficiaryId, 'hold');
        await insertObjection(tx, { id: newId(), rollId: id, beneficiaryId: body.beneficiaryId, reason: body.reason, recordedByUserId: context.actor.id, recordedAt: context.now });
        await placeHold(tx, { id: newId(), beneficiaryId: body.beneficiaryId, reason: 'objection', note: body.reason, rollId: id, placedByUserId: context.actor.id, placedAt: context.now });
        await auditRoll(tx, context, 'roll.objection', roll, { beneficiaryId: body.beneficiaryId, reason: body.reason });
        await recordAudit(tx, context, {
          action: 'beneficiary.held',
          entityType: 'beneficiary',
          entityId: body.beneficiaryId,
          regionCode: found.beneficiary.regionCode,
          data: { childId: found.beneficiary.childId, reason: 'objection', note: body.reason, rollId: id, takenOffRolls: [id, ...otherRolls] },
        });
      });
    },

    issue: (context: RequestContext, id: string) => issuing.issue(context, id).then(() => get(context, id)),

    cancel(context: RequestContext, id: string) {
      return change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; a draft or published roll is cancelled`);
        await endEntriesOfRoll(tx, id);
        await updateRoll(tx, id, { status: 'cancelled', cancelledAt: context.now });
        await auditRoll(tx, context, 'roll.cancelled', roll, {});
      });
    },

    recordResults: (context: RequestContext, id: string, list: TransferResult[]) => results.recordResults(context, id, list).then(() => get(context, id)),
  };
}

export type RollsService = ReturnType<typeof createRollsService>;
