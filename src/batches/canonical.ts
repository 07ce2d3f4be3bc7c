import { sha256OfJsonInSlices } from '../domain/sha256.js';
import type { BatchDocumentLine } from '../../reports/batchStatement.js';

// The canonical serialisation of an issued batch's frozen content, over which its SHA-256 is
// computed and printed on the PDF. Everything in it is in GET /batches/:id, so an auditor can
// rebuild it: JSON without white space, keys in exactly this order, strings as the API gives
// them, UTF-8. The README documents it.

export interface CanonicalBatch {
  number: string;
  regionCode: string;
  institutionId: string;
  payee: { code: string; name: string; bank: string; accountName: string; accountNumber: string };
  approvedThrough: string;
  issuedAt: string;
  claimCount: number;
  total: string;
  lines: BatchDocumentLine[];
}

/** The lines go last: everything before them, then each line, can be written in turn. */
function canonicalHead(batch: CanonicalBatch) {
  return {
    number: batch.number,
    regionCode: batch.regionCode,
    institutionId: batch.institutionId,
    payee: {
      code: batch.payee.code,
      name: batch.payee.name,
      bank: batch.payee.bank,
      accountName: batch.payee.accountName,
      accountNumber: batch.payee.accountNumber,
    },
    approvedThrough: batch.approvedThrough,
    issuedAt: batch.issuedAt,
    claimCount: batch.claimCount,
    total: batch.total,
    lines: [] as object[],
  };
}

/** A line's fields in their canonical order. */
export function canonicalLine(line: BatchDocumentLine) {
  return {
    lineNo: line.lineNo,
    claimId: line.claimId,
    externalRef: line.externalRef,
    childName: line.childName,
    idNumberMasked: line.idNumberMasked,
    category: line.category,
    service: line.service,
    deviceKind: line.deviceKind,
    period: line.period,
    grossCost: line.grossCost,
    deductionsTotal: line.deductionsTotal,
    remainder: line.remainder,
    approvedAmount: line.approvedAmount,
  };
}

export function canonicalBatchJson(batch: CanonicalBatch): string {
  return JSON.stringify({ ...canonicalHead(batch), lines: batch.lines.map(canonicalLine) });
}

/**
 * sha256 of canonicalBatchJson, written line by line and yielding to the event loop every
 * `linesPerSlice` lines: a batch of 100,000 lines would otherwise hold every other request while
 * one JSON string is built and hashed. The bytes hashed are the same.
 */
export async function canonicalBatchSha256(batch: CanonicalBatch, linesPerSlice = 2000): Promise<string> {
  return sha256OfJsonInSlices(JSON.stringify(canonicalHead(batch)), batch.lines, (line) => JSON.stringify(canonicalLine(line)), linesPerSlice);
}

export { sha256Hex } from '../domain/sha256.js';
