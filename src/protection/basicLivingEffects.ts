import { sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { basicLivingRollTables, protectionCases } from '../db/schema.js';
import type { RequestContext } from '../http/context.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { recordOverpaymentForExit, stopRecoveringMonthsOf } from '../monthlyRoll/overpayments.service.js';
import { lockRegionRolls, moveOpenTransfersToAccount, takeOffEntries } from '../monthlyRoll/rolls.repository.js';
import { BASIC_LIVING_KEY, createBasicLivingProgramme } from './basicLivingProgramme.js';
import { sealProtection } from './caseSecrets.js';
import type { BankAccountValue } from './cases.repository.js';

// What a change of a recognised case does to its basic-living money (protection.md §8, read with
// allowance.md's roll rules), inside the change's transaction and under the region's roll lock: a
// hold takes the case off draft rolls; an exit takes its months from the exit on off them and
// records what was already sent as an overpayment; a confirmed account reaches draft rolls; a new
// case of a child makes months an earlier case's overpayment recovers payable again.

const tables = basicLivingRollTables;
type CaseFacts = { id: string; regionCode: string; childId: string };

/** A hold (manual, exit_reported): the case leaves draft rolls until it is released. Returns the rolls touched. */
export async function holdFromRolls(tx: Transaction, record: CaseFacts): Promise<string[]> {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  return takeOffEntries(tx, tables, record.id, 'hold');
}

/** An exit from `fromMonth`: those months leave draft rolls; what issued rolls sent for them is an overpayment. */
export async function exitFromRolls(tx: Transaction, context: RequestContext, cipher: FieldCipher, record: CaseFacts & { coverFrom: string | null }, fromMonth: string): Promise<string[]> {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  const rolls = await takeOffEntries(tx, tables, record.id, 'exit', { fromMonth });
  await recordOverpaymentForExit(tx, context, createBasicLivingProgramme(cipher), { id: record.id, childId: record.childId, regionCode: record.regionCode, startMonth: record.coverFrom ?? fromMonth }, fromMonth);
  return rolls;
}

/** A confirmed account: the case's transfers in draft rolls carry it (issued rolls keep what they sent). */
export async function moveTransfersToAccount(tx: Transaction, cipher: FieldCipher, record: CaseFacts, account: BankAccountValue): Promise<string[]> {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  return moveOpenTransfersToAccount(tx, tables, record.id, { bank: account.bank, accountName: account.accountName, accountNumberSealed: sealProtection(cipher, 'bankAccountNumber', account.accountNumber) });
}

/** A child's new case covering months an earlier case's overpayment recovers: they are payable again. */
export async function payableAgainUnderNewCase(tx: Transaction, context: RequestContext, cipher: FieldCipher, record: CaseFacts, cover: { coverFrom: string; lastMonth: string }) {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  const casesOfChild = sql`select ${protectionCases.id} from ${protectionCases} where ${protectionCases.childId} = ${record.childId}`;
  await stopRecoveringMonthsOf(tx, context, createBasicLivingProgramme(cipher), { id: record.id, startMonth: cover.coverFrom, lastMonth: cover.lastMonth }, casesOfChild, 'newCaseId');
}
