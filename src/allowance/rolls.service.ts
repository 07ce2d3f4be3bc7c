import type { FieldCipher } from '../keys/fieldCipher.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { allowanceRollTables } from '../db/schema.js';
import { newId } from '../db/ids.js';
import type { RequestContext } from '../http/context.js';
import { invalidState, notFound } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { auditRoll } from '../monthlyRoll/rollParts.js';
import { takeOffEntries, updateRoll } from '../monthlyRoll/rolls.repository.js';
import { createRollsService as createMonthlyRollsService } from '../monthlyRoll/rolls.service.js';
import { inProcess, type Offload } from '../workers/pool.js';
import type { z } from 'zod';
import type { RollListQuery, RollSchema, RollSummarySchema, TransferResult } from './allowance.schemas.js';
import { allowanceRollProgramme } from './allowanceRollProgramme.js';
import { findBeneficiaryInScope, placeHold } from './beneficiaries.repository.js';
import { createRollNotice } from './rollDocuments.js';
import { insertObjection, objectionsOf } from './rolls.repository.js';

// The care allowance's monthly roll (月度发放名册) on the monthly-roll kit: built as a draft,
// published for its 7-day notice, objections taken, issued to finance, the bank's results recorded,
// or cancelled. The notice and its objections are the allowance's own; the rest is the kit's.

/** The public notice runs 7 days, the first included (公示7天). */
export const NOTICE_DAYS = 7;

function addDays(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

export function createRollsService(deps: { db: Database; cipher: FieldCipher; offload?: Offload }) {
  const { db, cipher } = deps;
  const programme = allowanceRollProgramme;
  const offload = deps.offload ?? inProcess;
  const kit = createMonthlyRollsService({ db, cipher, programme, offload });

  async function get(context: RequestContext, id: string) {
    const [{ answer }, objections] = await Promise.all([kit.get(context, id), objectionsOf(db, id)]);
    return {
      ...(answer as unknown as Omit<z.infer<typeof RollSchema>, 'objections'>),
      objections: objections.map(({ objection, childName }) => ({ beneficiaryId: objection.beneficiaryId, childName, reason: objection.reason, at: iso(objection.recordedAt) })),
    };
  }

  const change = (context: RequestContext, id: string, work: Parameters<typeof kit.change<void>>[2]) => kit.change(context, id, work).then(() => get(context, id));

  return {
    get,
    notice: createRollNotice({ db, offload }).notice,
    pdf: kit.pdf,
    bankList: kit.bankList,

    /** POST /allowance/rolls: a draft for a month of the caller's region. */
    create: async (context: RequestContext, month: string) => get(context, await kit.create(context, month)),

    /** GET /allowance/rolls: the region's rolls, their figures read in one grouped statement. */
    list: (context: RequestContext, query: RollListQuery) => kit.list(context, query) as Promise<{ items: z.infer<typeof RollSummarySchema>[]; nextCursor: string | null }>,

    publish(context: RequestContext, id: string, from: string) {
      return change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft') throw invalidState(`the roll is ${roll.status}; only a draft is published`);
        const noticeTo = addDays(from, NOTICE_DAYS - 1);
        await updateRoll(tx, allowanceRollTables, id, { status: 'published', noticeFrom: from, noticeTo, publishedAt: context.now });
        await auditRoll(tx, context, programme, 'published', roll, { noticeFrom: from, noticeTo });
      });
    },

    /** An objection during the notice takes the child off and holds it until civil affairs decides. */
    object(context: RequestContext, id: string, body: { beneficiaryId: string; reason: string }) {
      return change(context, id, async (tx, roll) => {
        if (roll.status !== 'draft' && roll.status !== 'published') throw invalidState(`the roll is ${roll.status}; objections are taken on a draft or published roll`);
        const found = await findBeneficiaryInScope(tx, context.actor, body.beneficiaryId, { lock: true });
        if (!found) throw notFound('beneficiary');
        const takenOff = await takeOffEntries(tx, allowanceRollTables, body.beneficiaryId, 'objection', { rollId: id });
        if (takenOff.length === 0) throw invalidState('the beneficiary has no entry in this roll');
        const otherRolls = await takeOffEntries(tx, allowanceRollTables, body.beneficiaryId, 'hold');
        await insertObjection(tx, { id: newId(), rollId: id, beneficiaryId: body.beneficiaryId, reason: body.reason, recordedByUserId: context.actor.id, recordedAt: context.now });
        await placeHold(tx, { id: newId(), beneficiaryId: body.beneficiaryId, reason: 'objection', note: body.reason, rollId: id, placedByUserId: context.actor.id, placedAt: context.now });
        await auditRoll(tx, context, programme, 'objection', roll, { beneficiaryId: body.beneficiaryId, reason: body.reason });
        await recordAudit(tx, context, {
          action: 'beneficiary.held',
          entityType: 'beneficiary',
          entityId: body.beneficiaryId,
          regionCode: found.beneficiary.regionCode,
          data: { childId: found.beneficiary.childId, reason: 'objection', note: body.reason, rollId: id, takenOffRolls: [id, ...otherRolls] },
        });
      });
    },

    issue: (context: RequestContext, id: string) => kit.issue(context, id).then(() => get(context, id)),
    cancel: (context: RequestContext, id: string) => kit.cancel(context, id).then(() => get(context, id)),
    recordResults: (context: RequestContext, id: string, list: TransferResult[]) => kit.recordResults(context, id, list).then(() => get(context, id)),
  };
}

export type RollsService = ReturnType<typeof createRollsService>;
