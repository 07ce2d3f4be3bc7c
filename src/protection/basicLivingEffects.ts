import { and, eq, max, sql } from 'drizzle-orm';
import type { Transaction } from '../db/client.js';
import { basicLivingRollTables, protectionCases } from '../db/schema.js';
import { chineseMonth } from '../domain/calendar.js';
import type { RequestContext } from '../http/context.js';
import { invalidState } from '../http/errors.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { recordOverpaymentForExit, stopRecoveringMonthsOf } from '../monthlyRoll/overpayments.service.js';
import { lockRegionRolls, moveOpenTransfersToAccount, moveOpenTransfersToPlace, takeOffEntries } from '../monthlyRoll/rolls.repository.js';
import { protectionEntries } from '../domain/protectionPaymentRule.js';
import { villageName } from '../regions/divisions.js';
import { payableFactsOfRegion } from './payableFacts.repository.js';
import { protectionStandardsForRegion } from './standards.repository.js';
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

/**
 * A change of what a month pays (categories, living arrangement from `fromMonth`) holds only after
 * every month of the case already in a live entry (§4.5): a month in a roll keeps the standard it was
 * built with. Under the region's roll lock, so that no roll takes a month while the change is made.
 */
export async function requireAfterLiveMonths(tx: Transaction, record: CaseFacts, fromMonth: string): Promise<void> {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  const [row] = await tx
    .select({ month: max(tables.entries.month) })
    .from(tables.entries)
    .where(and(eq(tables.entries.payeeId, record.id), eq(tables.entries.live, true)));
  const lastInRoll = row?.month ?? null;
  if (lastInRoll !== null && fromMonth <= lastInRoll) {
    throw invalidState(
      `the case's months up to ${lastInRoll} are already in a roll; a change holds from a later month`,
      `该儿童${chineseMonth(lastInRoll)}及以前的基本生活费已列入名册，变更须自${chineseMonth(lastInRoll)}之后的月份起。`,
    );
  }
}

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

/**
 * A child's new case paying months an earlier case's overpayment recovers: those months are payable
 * again, counted as paid. Only the months the new case pays (its payable categories, its standard):
 * a new case that pays nothing, or pays from a later month, leaves the recovery as it is. Called in
 * the recognition's transaction, after its categories and living arrangement are written.
 */
export async function payableAgainUnderNewCase(tx: Transaction, context: RequestContext, cipher: FieldCipher, record: CaseFacts) {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  const [facts, standards] = await Promise.all([payableFactsOfRegion(tx, cipher, record.regionCode, { childId: record.childId }), protectionStandardsForRegion(tx, record.regionCode)]);
  const found = facts.find((item) => item.caseId === record.id);
  if (!found) return;
  const months = protectionEntries(found.facts, found.facts.lastMonth, record.regionCode, standards).map((entry) => entry.month);
  if (months.length === 0) return;
  const casesOfChild = sql`select ${protectionCases.id} from ${protectionCases} where ${protectionCases.childId} = ${record.childId}`;
  await stopRecoveringMonthsOf(tx, context, createBasicLivingProgramme(cipher), { id: record.id, months }, casesOfChild, 'newCaseId');
}

/** A child moved to another village (its case with it): the case's transfers in draft rolls name the new village and township. */
export async function movePlaceOfOpenTransfers(tx: Transaction, record: CaseFacts, villageCode: string): Promise<string[]> {
  await lockRegionRolls(tx, { key: BASIC_LIVING_KEY }, record.regionCode);
  return moveOpenTransfersToPlace(tx, tables, record.id, { placeName: villageName(villageCode) ?? villageCode, placeCode: villageCode });
}
