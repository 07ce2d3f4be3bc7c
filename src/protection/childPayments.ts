import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client.js';
import { basicLivingEntries, basicLivingRolls, basicLivingTransfers } from '../db/schema.js';
import { formatMoney, money } from '../domain/money.js';
import type { FieldCipher } from '../keys/fieldCipher.js';
import { basicLivingHoldReason, payeeOf } from './basicLivingProgramme.js';
import { payableFactsOfRegion } from './payableFacts.repository.js';
import { protectionEntries } from '../domain/protectionPaymentRule.js';
import { protectionStandardsForRegion } from './standards.repository.js';

// A child's basic-living money month by month, as its file shows it (protection.md §7): each month
// in a live entry of a roll (paid once the bank's result says so, else in_roll, with the roll's
// number), and each month still owed up to this month (due, or held when a roll of this month would
// hold the case).

export interface PaymentMonth {
  /** The case the month is paid or owed under (a child may have had two). */
  caseId: string;
  month: string;
  amount: string;
  status: 'paid' | 'in_roll' | 'due' | 'held';
  rollNumber: string | null;
  /** In a roll issued to finance (sent, or being sent): an exit from it makes the month an overpayment. */
  sent: boolean;
}

export async function paymentMonthsOfChild(db: Executor, cipher: FieldCipher, child: { id: string; regionCode: string }, currentMonth: string): Promise<PaymentMonth[]> {
  const [entries, cases, standards] = await Promise.all([
    db
      .select({ caseId: basicLivingEntries.payeeId, month: basicLivingEntries.month, amount: basicLivingEntries.amount, transferStatus: basicLivingTransfers.status, rollNumber: basicLivingRolls.number, rollStatus: basicLivingRolls.status })
      .from(basicLivingEntries)
      .innerJoin(basicLivingRolls, eq(basicLivingRolls.id, basicLivingEntries.rollId))
      .innerJoin(basicLivingTransfers, and(eq(basicLivingTransfers.rollId, basicLivingEntries.rollId), eq(basicLivingTransfers.transferNo, basicLivingEntries.transferNo)))
      .where(and(eq(basicLivingEntries.childId, child.id), eq(basicLivingEntries.live, true)))
      .orderBy(asc(basicLivingEntries.month)),
    payableFactsOfRegion(db, cipher, child.regionCode, { childId: child.id }),
    protectionStandardsForRegion(db, child.regionCode),
  ]);
  const months: PaymentMonth[] = entries.map((entry) => ({
    caseId: entry.caseId,
    month: entry.month,
    amount: formatMoney(money(entry.amount)),
    status: entry.transferStatus === 'paid' ? 'paid' : 'in_roll',
    rollNumber: entry.rollNumber,
    sent: entry.rollStatus === 'issued' || entry.rollStatus === 'settled',
  }));
  const taken = new Set(months.map((entry) => entry.month));
  for (const found of cases) {
    const payee = payeeOf(found);
    const held = basicLivingHoldReason(payee, currentMonth) !== null;
    for (const entry of protectionEntries(found.facts, currentMonth, child.regionCode, standards, taken)) {
      taken.add(entry.month);
      months.push({ caseId: found.caseId, month: entry.month, amount: entry.amount, status: held ? 'held' : 'due', rollNumber: null, sent: false });
    }
  }
  return months.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}
