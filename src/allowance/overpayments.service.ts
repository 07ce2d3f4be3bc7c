import { sql } from 'drizzle-orm';
import type { Database, Transaction } from '../db/client.js';
import { beneficiaries } from '../db/schema.js';
import type { RequestContext } from '../http/context.js';
import * as kit from '../monthlyRoll/overpayments.service.js';
import { allowanceRollProgramme } from './allowanceRollProgramme.js';
import type { BeneficiaryRow } from './beneficiaries.repository.js';
import type { OverpaymentSchema } from './allowance.schemas.js';
import type { z } from 'zod';

// The care allowance's overpayments (应退尽退) on the monthly-roll kit
// (src/monthlyRoll/overpayments.service.ts): what an exit finds sent, what a new record makes
// payable again, recoveries, refunds and waivers.

export { overpaymentStatusOf, refundDueOf, type OverpaymentStatus } from '../monthlyRoll/overpayments.service.js';

/** An exit from a month already sent in an issued roll: one overpayment. Called inside the exit's transaction. */
export function recordOverpaymentForExit(tx: Transaction, context: RequestContext, beneficiary: BeneficiaryRow, fromMonth: string) {
  return kit.recordOverpaymentForExit(tx, context, allowanceRollProgramme, beneficiary, fromMonth);
}

/** A record approved for months an earlier record's overpayment is recovering: they are payable again. */
export function stopRecoveringMonthsOf(tx: Transaction, context: RequestContext, beneficiary: BeneficiaryRow) {
  const recordsOfChild = sql`select ${beneficiaries.id} from ${beneficiaries} where ${beneficiaries.childId} = ${beneficiary.childId}`;
  return kit.stopRecoveringMonthsOf(tx, context, allowanceRollProgramme, { id: beneficiary.id, months: { from: beneficiary.startMonth, to: beneficiary.lastMonth } }, recordsOfChild, 'newBeneficiaryId');
}

/** The kit's service, its answers in the allowance's words (beneficiaryId). */
export function createOverpaymentsService(deps: { db: Database }) {
  return kit.createOverpaymentsService<z.infer<typeof OverpaymentSchema>>({ db: deps.db, programme: allowanceRollProgramme });
}

export type OverpaymentsService = ReturnType<typeof createOverpaymentsService>;
