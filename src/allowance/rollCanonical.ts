import { sha256Hex } from '../domain/sha256.js';

// The canonical serialisation of an issued roll's frozen content, over which its SHA-256 is
// computed and printed on the summary PDF. Everything in it is in GET /allowance/rolls/:id (as
// civil affairs and finance see it) and in its transfers' entries, so an auditor can rebuild it:
// JSON without white space, keys in exactly this order, money as the API gives it (two decimals),
// transfers by number, entries by month, UTF-8. The README documents it.

export interface CanonicalRollEntry {
  month: string;
  tier: string;
  fund: string;
  amount: string;
}

export interface CanonicalRollTransfer {
  transferNo: number;
  beneficiaryId: string;
  childName: string;
  community: string;
  bank: string;
  accountName: string;
  accountNumber: string;
  amount: string;
  entries: CanonicalRollEntry[];
}

export interface CanonicalRoll {
  number: string;
  regionCode: string;
  month: string;
  noticeFrom: string;
  noticeTo: string;
  issuedAt: string;
  transferCount: number;
  total: string;
  byFund: { county: string; hardship: string };
  arrearsTotal: string;
  transfers: CanonicalRollTransfer[];
}

export function canonicalRollJson(roll: CanonicalRoll): string {
  return JSON.stringify({
    number: roll.number,
    regionCode: roll.regionCode,
    month: roll.month,
    noticeFrom: roll.noticeFrom,
    noticeTo: roll.noticeTo,
    issuedAt: roll.issuedAt,
    transferCount: roll.transferCount,
    total: roll.total,
    byFund: { county: roll.byFund.county, hardship: roll.byFund.hardship },
    arrearsTotal: roll.arrearsTotal,
    transfers: roll.transfers.map((transfer) => ({
      transferNo: transfer.transferNo,
      beneficiaryId: transfer.beneficiaryId,
      childName: transfer.childName,
      community: transfer.community,
      bank: transfer.bank,
      accountName: transfer.accountName,
      accountNumber: transfer.accountNumber,
      amount: transfer.amount,
      entries: transfer.entries.map((entry) => ({ month: entry.month, tier: entry.tier, fund: entry.fund, amount: entry.amount })),
    })),
  });
}

export function canonicalRollSha256(roll: CanonicalRoll): string {
  return sha256Hex(canonicalRollJson(roll));
}
