import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import { retryingConflicts, type Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { chinaDate, chinaDateTime, endOfChinaDayExclusive } from '../domain/chinaTime.js';
import { formatMoney, money } from '../domain/money.js';
import { AppError, invalidState, notFound, validationFailed } from '../http/errors.js';
import { requireSecondPerson } from '../http/fourEyes.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { iso, isoOrNull } from '../http/schemas.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { regionName } from '../regions/divisions.js';
import { officeNames } from '../regions/offices.js';
import type { BatchDocumentLine } from '../../reports/batchStatement.js';
import { inProcess, type Offload } from '../workers/pool.js';
import { amountInChineseWords } from '../pdf/chineseAmount.js';
import { renderBatchListXlsx, renderBatchXlsx } from './batchXlsx.js';
import type { BatchExportQuery, BatchListQuery } from './batches.schemas.js';

/** More batches than this in one export: narrow the dates. */
const MAX_EXPORTED_BATCHES = 10_000;
import {
  draftBatchesOfRegion,
  findBatchInScope,
  findDocument,
  findDocumentHash,
  insertBatch,
  insertDocument,
  linesOf,
  listBatchesInScope,
  institutionsWithBatchableClaims,
  takeClaimsIntoBatch,
  nextBatchNumber,
  releaseBatchClaims,
  linesInPages,
  setClaimsStatusOfBatch,
  updateBatch,
  type BatchLineRow,
  type BatchRow,
} from './batches.repository.js';
import { canonicalBatchSha256, canonicalLine, sha256Hex, type CanonicalBatch } from './canonical.js';

type BatchStatus = 'draft' | 'issued' | 'paid' | 'cancelled';

interface BatchWithPeople {
  batch: BatchRow;
  institutionName: string;
  builtByName: string;
  issuedByName: string | null;
}

function presentSummary({ batch, institutionName, builtByName, issuedByName }: BatchWithPeople) {
  return {
    id: batch.id,
    number: batch.number,
    regionCode: batch.regionCode,
    institutionId: batch.institutionId,
    institutionName,
    status: batch.status as BatchStatus,
    approvedThrough: batch.approvedThrough,
    claimCount: batch.claimCount,
    total: formatMoney(money(batch.total)),
    totalInWords: amountInChineseWords(batch.total),
    sha256: batch.sha256,
    createdAt: iso(batch.createdAt),
    issuedAt: isoOrNull(batch.issuedAt),
    paidAt: batch.paidAt,
    voucherNo: batch.voucherNo,
    builtBy: { id: batch.createdByUserId, name: builtByName },
    issuedBy: batch.issuedByUserId ? { id: batch.issuedByUserId, name: issuedByName ?? '' } : null,
  };
}

/** A line as the API answers it, which is the line as its batch's hash reads it (canonical.ts). */
function presentLine(line: BatchLineRow) {
  const amount = (value: string) => formatMoney(money(value));
  return canonicalLine({
    ...line,
    grossCost: amount(line.grossCost),
    deductionsTotal: amount(line.deductionsTotal),
    remainder: amount(line.remainder),
    approvedAmount: amount(line.approvedAmount),
  });
}

function payeeOf(batch: BatchRow) {
  return {
    code: batch.payeeCode,
    name: batch.payeeName,
    bank: batch.payeeBank,
    accountName: batch.payeeAccountName,
    accountNumber: batch.payeeAccountNumber,
  };
}

function canonicalOf(batch: BatchRow, issuedAt: Date, lines: BatchDocumentLine[]): CanonicalBatch {
  return {
    number: batch.number,
    regionCode: batch.regionCode,
    institutionId: batch.institutionId,
    payee: payeeOf(batch),
    approvedThrough: batch.approvedThrough,
    issuedAt: iso(issuedAt),
    claimCount: batch.claimCount,
    total: formatMoney(money(batch.total)),
    lines,
  };
}

export class DocumentIntegrityError extends Error {}

class NothingToBatch extends Error {}

export function createBatchesService(deps: { db: Database; offload?: Offload }) {
  const { db } = deps;
  // The PDF is laid out in a worker thread: a long batch would hold every other request.
  const offload = deps.offload ?? inProcess;

  async function load(context: RequestContext, id: string) {
    const found = await findBatchInScope(db, context.actor, id);
    if (!found) throw notFound('batch');
    return found;
  }

  return {
    /**
     * POST /batches: one draft per institution from the region's approved, unbatched claims
     * approved on or before the cut-off. Each institution's claims are locked as they are taken,
     * so two runs at the same time never take the same claim (and the partial unique index on
     * batch_lines says so too). An institution whose claims a concurrent run took gets no batch.
     */
    async create(context: RequestContext, body: { institutionId?: string | undefined; approvedThrough?: string | undefined } | null | undefined) {
      const regionCode = context.actor.regionCode!;
      const today = chinaDate(context.now);
      const approvedThrough = body?.approvedThrough ?? today;
      if (approvedThrough > today) throw validationFailed('approvedThrough is after today', [{ field: 'approvedThrough' }]);
      const approvedBefore = body?.approvedThrough ? endOfChinaDayExclusive(approvedThrough) : new Date(context.now.getTime() + 1);
      if (body?.institutionId && !(await findInstitution(db, body.institutionId))) {
        throw validationFailed('institutionId names no institution', [{ field: 'institutionId' }]);
      }
      return retryingConflicts(() => db.transaction(async (tx) => {
        const created = [];
        for (const institutionId of await institutionsWithBatchableClaims(tx, regionCode, approvedBefore, body?.institutionId)) {
          const institution = (await findInstitution(tx, institutionId))!;
          try {
            // A savepoint per institution: when a concurrent run took its claims first, the
            // empty draft and its number are rolled back.
            created.push(
              await tx.transaction(async (savepoint) => {
                const id = newId();
                const number = await nextBatchNumber(savepoint, regionCode, Number(today.slice(0, 4)));
                await insertBatch(savepoint, {
                  id,
                  number,
                  regionCode,
                  institutionId,
                  status: 'draft',
                  approvedThrough,
                  claimCount: 0,
                  total: '0.00',
                  payeeCode: institution.code,
                  payeeName: institution.name,
                  payeeBank: institution.bankName,
                  payeeAccountName: institution.bankAccountName,
                  payeeAccountNumber: institution.bankAccountNumber,
                  createdByUserId: context.actor.id,
                  createdAt: context.now,
                });
                const totals = await takeClaimsIntoBatch(savepoint, id, regionCode, approvedBefore, institutionId);
                if (totals.count === 0) throw new NothingToBatch();
                await updateBatch(savepoint, id, { claimCount: totals.count, total: totals.total });
                await recordAudit(savepoint, context, {
                  action: 'batch.created',
                  entityType: 'batch',
                  entityId: id,
                  regionCode,
                  data: { number, institutionId, claimCount: totals.count, total: totals.total, approvedThrough },
                });
                return { id, number, regionCode, institutionId, status: 'draft' as const, claimCount: totals.count, total: formatMoney(money(totals.total)) };
              }),
            );
          } catch (error) {
            if (!(error instanceof NothingToBatch)) throw error;
          }
        }
        // The drafts this run did not make hold the claims it could not take: say which they are.
        const made = new Set(created.map((batch) => batch.id));
        const existingDrafts = (await draftBatchesOfRegion(tx, regionCode, body?.institutionId))
          .filter((batch) => !made.has(batch.id))
          .map((batch) => ({ id: batch.id, number: batch.number, regionCode: batch.regionCode, institutionId: batch.institutionId, status: 'draft' as const, claimCount: batch.claimCount, total: formatMoney(money(batch.total)) }));
        return { batches: created, existingDrafts };
      }));
    },

    async cancel(context: RequestContext, id: string) {
      await retryingConflicts(() => db.transaction(async (tx) => {
        const found = await findBatchInScope(tx, context.actor, id, { lock: true });
        if (!found) throw notFound('batch');
        if (found.batch.status !== 'draft') throw invalidState(`the batch is ${found.batch.status}; only a draft can be cancelled`);
        await updateBatch(tx, id, { status: 'cancelled', cancelledAt: context.now });
        await releaseBatchClaims(tx, id);
        await recordAudit(tx, context, {
          action: 'batch.cancelled',
          entityType: 'batch',
          entityId: id,
          regionCode: found.batch.regionCode,
          data: { number: found.batch.number, claimCount: found.batch.claimCount },
        });
      }));
      return this.state(context, id);
    },

    /**
     * POST /batches/:id/issue: freezes the batch. The PDF is rendered once, from the draft's lines
     * (which no one can change), before the transaction; the transaction then checks the batch is
     * still a draft and stores the hash, the PDF and the new statuses together.
     */
    async issue(context: RequestContext, id: string) {
      const found = await load(context, id);
      if (found.batch.status !== 'draft') throw invalidState(`the batch is ${found.batch.status}; only a draft can be issued`);
      // Nobody moves money alone: another reviewer of the region issues what one built.
      const secondPerson = (batch: BatchRow) => requireSecondPerson(context.actor, batch.createdByUserId, { secondStep: `issuing batch ${batch.number}`, firstStep: 'built it' });
      secondPerson(found.batch);
      // A long batch is read and written out in slices, so that other requests go on meanwhile.
      const lines: BatchDocumentLine[] = [];
      for await (const page of linesInPages(db, id)) lines.push(...page.map(presentLine));
      const issuedAt = context.now;
      const canonical = canonicalOf(found.batch, issuedAt, lines);
      const sha256 = await canonicalBatchSha256(canonical);
      // The statement names its issuer and the finance bureau from the region's settings.
      const offices = await officeNames(db, found.batch.regionCode);
      const division = regionName(found.batch.regionCode);
      const pdf = Buffer.from(
        await offload.run('batchPdf', {
          ...canonical,
          lines: [...canonical.lines],
          issuedAt,
          totalInWords: amountInChineseWords(canonical.total),
          sha256,
          issuer: offices.disabledPersonsFederation,
          financeOffice: offices.finance,
          payingRegion: division ? `${division.fullName}（${found.batch.regionCode}）` : found.batch.regionCode,
          builtBy: found.builtByName,
          issuedBy: context.actor.name,
        }),
      );
      const pdfSha256 = sha256Hex(pdf);
      await retryingConflicts(() => db.transaction(async (tx) => {
        const locked = await findBatchInScope(tx, context.actor, id, { lock: true });
        if (!locked) throw notFound('batch');
        if (locked.batch.status !== 'draft') throw invalidState(`the batch is ${locked.batch.status}; only a draft can be issued`);
        secondPerson(locked.batch);
        await updateBatch(tx, id, { status: 'issued', issuedAt, issuedByUserId: context.actor.id, sha256 });
        await insertDocument(tx, { batchId: id, pdf, pdfSha256, createdAt: issuedAt });
        await setClaimsStatusOfBatch(tx, id, 'approved', 'batched');
        await recordAudit(tx, context, {
          action: 'batch.issued',
          entityType: 'batch',
          entityId: id,
          regionCode: locked.batch.regionCode,
          data: { number: locked.batch.number, total: canonical.total, claimCount: canonical.claimCount, sha256, pdfSha256, builtByUserId: locked.batch.createdByUserId },
        });
      }));
      return this.state(context, id);
    },

    async pay(context: RequestContext, id: string, body: { voucherNo: string; paidAt: string; amount: string }) {
      await retryingConflicts(() => db.transaction(async (tx) => {
        const found = await findBatchInScope(tx, context.actor, id, { lock: true });
        if (!found) throw notFound('batch');
        const { batch } = found;
        if (batch.status !== 'issued') throw invalidState(`the batch is ${batch.status}; only an issued batch can be paid`);
        if (!money(body.amount).equals(money(batch.total))) {
          throw new AppError('AMOUNT_MISMATCH', `the amount ${formatMoney(money(body.amount))} differs from the batch total ${formatMoney(money(batch.total))}`);
        }
        if (body.paidAt > chinaDate(context.now)) throw validationFailed('paidAt is in the future', [{ field: 'paidAt' }]);
        if (body.paidAt < chinaDate(batch.issuedAt!)) throw validationFailed('paidAt is before the batch was issued', [{ field: 'paidAt' }]);
        await updateBatch(tx, id, {
          status: 'paid',
          paidAt: body.paidAt,
          paidAmount: formatMoney(money(body.amount)),
          voucherNo: body.voucherNo,
          paymentRecordedByUserId: context.actor.id,
          paymentRecordedAt: context.now,
        });
        await setClaimsStatusOfBatch(tx, id, 'batched', 'paid');
        await recordAudit(tx, context, {
          action: 'batch.paid',
          entityType: 'batch',
          entityId: id,
          regionCode: batch.regionCode,
          data: { number: batch.number, voucherNo: body.voucherNo, paidAt: body.paidAt, amount: formatMoney(money(body.amount)) },
        });
      }));
      return this.state(context, id);
    },

    /** The batch without its lines. */
    async state(context: RequestContext, id: string) {
      const found = await load(context, id);
      return { ...presentSummary(found), payee: payeeOf(found.batch), pdfSha256: await findDocumentHash(db, id) };
    },

    async get(context: RequestContext, id: string) {
      const [state, lines] = await Promise.all([this.state(context, id), linesOf(db, id)]);
      return { ...state, lines: lines.map(presentLine) };
    },

    async list(context: RequestContext, query: BatchListQuery) {
      const rows = await listBatchesInScope(db, context.actor, { ...query, afterId: decodeCursor(query.cursor) });
      return presentPage(rows.map((row) => ({ ...row, id: row.batch.id })), query.limit, presentSummary);
    },

    /** The stored PDF, byte for byte, after checking it against its stored hash. */
    async pdf(context: RequestContext, id: string) {
      const { batch } = await load(context, id);
      if (batch.status !== 'issued' && batch.status !== 'paid') throw invalidState(`the batch is ${batch.status}; its PDF exists once it is issued`);
      const document = await findDocument(db, id);
      if (!document || sha256Hex(document.pdf) !== document.pdfSha256) {
        throw new DocumentIntegrityError(`stored PDF of batch ${batch.number} does not match its hash`);
      }
      return { number: batch.number, pdf: document.pdf, sha256: document.pdfSha256 };
    },

    /** GET /batches/export.xlsx: the batches a filter finds, one row each (finance books its payments from it). */
    async exportList(context: RequestContext, query: BatchExportQuery) {
      const rows = await listBatchesInScope(db, context.actor, { ...query, limit: MAX_EXPORTED_BATCHES });
      if (rows.length > MAX_EXPORTED_BATCHES) throw validationFailed(`more than ${MAX_EXPORTED_BATCHES} batches: narrow the dates`);
      return renderBatchListXlsx(
        rows.map(({ batch, institutionName }) => ({
          number: batch.number,
          institutionName,
          claimCount: batch.claimCount,
          total: formatMoney(money(batch.total)),
          status: batch.status,
          issuedAt: batch.issuedAt ? chinaDateTime(batch.issuedAt) : null,
          paidAt: batch.paidAt,
          voucherNo: batch.voucherNo,
        })),
      );
    },

    async xlsx(context: RequestContext, id: string) {
      const batch = await this.get(context, id);
      const bytes = await renderBatchXlsx({ ...batch, claimCount: batch.claimCount });
      return { number: batch.number, bytes };
    },
  };
}

export type BatchesService = ReturnType<typeof createBatchesService>;
