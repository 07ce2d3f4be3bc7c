import { createHash } from 'node:crypto';

/**
 * The auditor's recomputation of a batch's SHA-256 from GET /batches/:id, written from the README's
 * canonical serialisation, not from the service's code.
 */
export function canonicalBatchSha256(batch: any): string {
  const canonical = JSON.stringify({
    number: batch.number,
    regionCode: batch.regionCode,
    institutionId: batch.institutionId,
    payee: { code: batch.payee.code, name: batch.payee.name, bank: batch.payee.bank, accountName: batch.payee.accountName, accountNumber: batch.payee.accountNumber },
    approvedThrough: batch.approvedThrough,
    issuedAt: batch.issuedAt,
    claimCount: batch.claimCount,
    total: batch.total,
    lines: batch.lines.map((line: Record<string, unknown>) => ({
      lineNo: line.lineNo, claimId: line.claimId, externalRef: line.externalRef, childName: line.childName, idNumberMasked: line.idNumberMasked,
      category: line.category, service: line.service, deviceKind: line.deviceKind, period: line.period, grossCost: line.grossCost,
      deductionsTotal: line.deductionsTotal, remainder: line.remainder, approvedAmount: line.approvedAmount,
    })),
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
