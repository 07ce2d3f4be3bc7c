import { createHash } from 'node:crypto';
import type { BatchDocumentLine } from '../pdf/batchPdf.js';

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

export function canonicalBatchJson(batch: CanonicalBatch): string {
  return JSON.stringify({
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
    lines: batch.lines.map((line) => ({
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
    })),
  });
}

export function sha256Hex(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}
