import { sha256Hex, sha256OfJsonInSlices } from '../domain/sha256.js';

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

/** The head of the canonical form, its transfers left as an empty array (hashed transfer by transfer by the kit). */
export function canonicalHead(roll: CanonicalRoll) {
  return {
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
    transfers: [] as unknown[],
  };
}

export function canonicalTransfer(transfer: CanonicalRollTransfer) {
  return {
    transferNo: transfer.transferNo,
    beneficiaryId: transfer.beneficiaryId,
    childName: transfer.childName,
    community: transfer.community,
    bank: transfer.bank,
    accountName: transfer.accountName,
    accountNumber: transfer.accountNumber,
    amount: transfer.amount,
    entries: transfer.entries.map((entry) => ({ month: entry.month, tier: entry.tier, fund: entry.fund, amount: entry.amount })),
  };
}

export function canonicalRollJson(roll: CanonicalRoll): string {
  return JSON.stringify({ ...canonicalHead(roll), transfers: roll.transfers.map(canonicalTransfer) });
}

export function canonicalRollSha256(roll: CanonicalRoll): string {
  return sha256Hex(canonicalRollJson(roll));
}

/**
 * sha256 of canonicalRollJson, written transfer by transfer and yielding to the event loop every
 * `transfersPerSlice` transfers: a province's roll would otherwise hold every other request while
 * one JSON string is built and hashed. The bytes hashed are the same.
 */
export async function canonicalRollSha256InSlices(roll: CanonicalRoll, transfersPerSlice = 500): Promise<string> {
  return sha256OfJsonInSlices(JSON.stringify(canonicalHead(roll)), roll.transfers, (transfer) => JSON.stringify(canonicalTransfer(transfer)), transfersPerSlice);
}
