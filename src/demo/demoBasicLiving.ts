import { addMonths } from '../domain/calendar.js';
import { chinaDate } from '../domain/chinaTime.js';

// The basic-living allowance (基本生活费, protection.md §8) of the demo county's recognised cases:
// the roll of two months ago built by one civil affairs officer, issued by the other and paid but
// for one transfer the bank returned; last month's paid, that case held for its account (a new one
// asked for, waiting for the second officer); this month's roll a draft.

type Call = <T = any>(credential: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => Promise<T>;

interface Roll {
  id: string;
  transfers: { transferNo: number; caseId: string; accountName: string }[];
}

export async function seedBasicLiving(scene: { call: Call; at: (date: string) => void; civilAffairs: string; civilAffairs2: string; finance: string; now: Date }): Promise<void> {
  const { call, at, civilAffairs, civilAffairs2, finance, now } = scene;
  const today = chinaDate(now);
  const month = (back: number) => addMonths(today.slice(0, 7), -back);
  // A month's roll: built on the 6th by the first officer, issued on the 9th by the second, the
  // bank's results recorded on the 15th.
  const paidRoll = async (back: number, failed?: number) => {
    at(`${month(back)}-06`);
    const roll = await call<Roll>(civilAffairs, 'POST', '/protection/rolls', { month: month(back) });
    at(`${month(back)}-09`);
    await call(civilAffairs2, 'POST', `/protection/rolls/${roll.id}/issue`, {});
    at(`${month(back)}-15`);
    await call(finance, 'POST', `/protection/rolls/${roll.id}/results`, {
      results: roll.transfers.map((transfer, index) => (index === failed ? { transferNo: transfer.transferNo, status: 'failed', reason: '账户已销户' } : { transferNo: transfer.transferNo, status: 'paid' })),
    });
    return roll;
  };
  const first = await paidRoll(2, 1);
  await paidRoll(1);
  const returned = first.transfers[1];
  if (returned) {
    // The family's new account, asked for today; the second officer has not yet confirmed it.
    at(today);
    await call(civilAffairs, 'PUT', `/protection/cases/${returned.caseId}/bank-account`, { bank: '四川农信达州通川支行', accountName: returned.accountName, accountNumber: '6214670000000088123' });
  }
  at(today);
  await call(civilAffairs, 'POST', '/protection/rolls', { month: month(0) });
}
