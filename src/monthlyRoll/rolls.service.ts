import type { FieldCipher } from '../keys/fieldCipher.js';
import { retryingConflicts, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaMonth } from '../domain/chinaTime.js';
import { chineseMonth } from '../domain/calendar.js';
import { formatMoney, money } from '../domain/money.js';
import type { RequestContext } from '../http/context.js';
import { AppError, invalidState, notFound } from '../http/errors.js';
import { decodeCursor, page } from '../http/pagination.js';
import { inProcess, type Offload } from '../workers/pool.js';
import type { RollProgramme } from './programme.js';
import { createRollDocuments } from './rollDocuments.js';
import { createRollIssue } from './rollIssue.js';
import { createRollResults, type TransferResult } from './rollResults.js';
import { auditRoll, changeRoll, entriesByTransfer, namesOfRollPeople, presentHeldOf, presentRollSummary, presentTransfer } from './rollParts.js';
import { countRollsOfMonth, endEntriesOfRoll, entriesOfRoll, findRollInScope, insertEntries, insertRoll, insertTransfers, latestRollMonth, listRollsInScope, lockRegionRolls, rollFigures, rollFiguresOf, transfersOf, updateRoll } from './rolls.repository.js';
import { mapInSlices } from './slices.js';

// A programme's monthly roll (月度发放名册): built as a draft for a month that has begun (every due
// month of every payee not held, arrears included), issued to finance by another person than its
// builder (frozen, hashed, its summary PDF rendered once: rollIssue.ts), the bank's results recorded
// (rollResults.ts), its documents drawn (rollDocuments.ts), or cancelled before issue. A programme
// with a public notice publishes the draft first (its notice and objections are its own).

export interface RollListQuery {
  month?: string | undefined;
  status?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

export function createRollsService(deps: { db: Database; cipher: FieldCipher; programme: RollProgramme; offload?: Offload }) {
  const { db, cipher, programme } = deps;
  const t = programme.tables;
  // The PDFs are laid out in a worker thread, as the batch's are.
  const offload = deps.offload ?? inProcess;
  const issuing = createRollIssue({ db, cipher, programme, offload });
  const results = createRollResults({ db, programme });

  /** The roll with its transfers and held payees; `extra` adds what the programme shows beside them (objections). */
  async function get(context: RequestContext, id: string) {
    const roll = await findRollInScope(db, programme, context.actor, id);
    if (!roll) throw notFound('roll');
    const [figures, transfers, entries, names] = await Promise.all([rollFigures(db, programme, id), transfersOf(db, t, id), entriesOfRoll(db, t, id), namesOfRollPeople(db, [roll])]);
    const byTransfer = await entriesByTransfer(entries);
    const held =
      roll.status === 'draft' || roll.status === 'published'
        ? presentHeldOf(programme, (await programme.plan(db, roll.regionCode, roll.month)).held)
        : roll.status === 'cancelled'
          ? []
          : ((roll.heldAtIssue as Record<string, unknown>[] | null) ?? []);
    return {
      roll,
      answer: {
        ...presentRollSummary(programme, roll, figures, names),
        transfers: await mapInSlices(transfers, (transfer) => presentTransfer(programme, context.actor, cipher, transfer, byTransfer.get(transfer.transferNo) ?? [])),
        held,
      },
    };
  }

  return {
    /** The roll as read; its row for what the programme adds. */
    get,
    change: <T>(context: RequestContext, id: string, work: Parameters<typeof changeRoll<T>>[4]) => changeRoll(db, programme, context, id, work),
    ...createRollDocuments({ db, cipher, programme, offload }),

    /** POST …/rolls: a draft for a month of the caller's region; returns its id. */
    async create(context: RequestContext, month: string): Promise<string> {
      const regionCode = context.actor.regionCode!;
      const current = chinaMonth(context.now);
      if (month > current) throw new AppError('SERVICE_NOT_YET_DELIVERED', `${month} has not begun (this month is ${current}); a roll is built for a month that has begun`);
      return retryingConflicts(() =>
        db.transaction(async (tx) => {
          await lockRegionRolls(tx, programme, regionCode);
          const latest = await latestRollMonth(tx, t, regionCode);
          if (latest !== null && month <= latest) {
            throw invalidState(
              `the region's latest roll is for ${latest}; a new roll is for a later month (cancel that roll to build it again)`,
              month === latest
                ? `${chineseMonth(month)}名册已存在，不能重复生成；如需重建，请先作废该名册。`
                : `本地区已有${chineseMonth(latest)}的名册，新名册须晚于该月；如需重建${chineseMonth(month)}名册，请先作废之后各月的名册。`,
            );
          }
          const plan = await programme.plan(tx, regionCode, month);
          const count = await countRollsOfMonth(tx, t, regionCode, month);
          const rollId = newId();
          const number = `${regionCode}-${programme.numberCode}-${month}${count > 0 ? `-${count + 1}` : ''}`;
          await insertRoll(tx, t, { id: rollId, number, regionCode, month, status: 'draft', createdByUserId: context.actor.id, createdAt: context.now });
          await insertTransfers(
            tx,
            t,
            plan.transfers.map((transfer) => ({
              rollId,
              transferNo: transfer.transferNo,
              payeeId: transfer.payee.id,
              childName: transfer.payee.childName,
              placeName: transfer.payee.placeName,
              placeCode: transfer.payee.placeCode,
              bank: transfer.payee.bank,
              accountName: transfer.payee.accountName,
              accountNumberSealed: transfer.payee.accountNumberSealed,
              amount: transfer.amount,
              status: 'pending',
            })),
          );
          await insertEntries(
            tx,
            t,
            plan.transfers.flatMap((transfer) =>
              transfer.entries.map((entry) => ({
                rollId,
                transferNo: transfer.transferNo,
                payeeId: transfer.payee.id,
                childId: transfer.payee.childId,
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
          await auditRoll(tx, context, programme, 'created', { id: rollId, regionCode, number }, { month, transferCount: plan.transfers.length, total, heldCount: plan.held.length });
          return rollId;
        }),
      );
    },

    /** GET …/rolls: the region's rolls, their figures read in one grouped statement. */
    async list(context: RequestContext, query: RollListQuery) {
      const rows = await listRollsInScope(db, programme, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      const result = page(rows, query.limit);
      const [figures, names] = await Promise.all([
        rollFiguresOf(
          db,
          programme,
          result.items.map((roll) => roll.id),
        ),
        namesOfRollPeople(db, result.items),
      ]);
      return { items: result.items.map((roll) => presentRollSummary(programme, roll, figures.get(roll.id)!, names)), nextCursor: result.nextCursor };
    },

    issue: (context: RequestContext, id: string) => issuing.issue(context, id),

    /** A roll not yet issued is cancelled: its months are due again. */
    cancel(context: RequestContext, id: string) {
      return changeRoll(db, programme, context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; a roll not yet issued is cancelled`);
        await endEntriesOfRoll(tx, t, id);
        await updateRoll(tx, t, id, { status: 'cancelled', cancelledAt: context.now });
        await auditRoll(tx, context, programme, 'cancelled', roll, {});
      });
    },

    recordResults: (context: RequestContext, id: string, list: TransferResult[]) => results.recordResults(context, id, list),
  };
}

export type MonthlyRollsService = ReturnType<typeof createRollsService>;
