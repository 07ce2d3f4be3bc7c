import { Decimal } from 'decimal.js';
import type { RequestContext } from '../http/context.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Database } from '../db/client.js';
import { newId } from '../db/ids.js';
import { formatMoney, sumMoney, ZERO } from '../domain/money.js';
import { notFound } from '../http/errors.js';
import { iso } from '../http/schemas.js';
import { decodeCursor, presentPage } from '../http/pagination.js';
import { chinaDate } from '../domain/chinaTime.js';
import { findInstitution } from '../institutions/institutions.repository.js';
import { officeNames } from '../regions/offices.js';
import type { CreateReconciliationBody } from './reconciliation.schemas.js';
import {
  claimsByRefs,
  claimsInPeriod,
  findReconciliationInScope,
  insertReconciliation,
  institutionHasClaimsInRegion,
  linesOfReconciliation,
  nextReconciliationNumber,
  listReconciliationsInScope,
  type ReconciliationLineRow,
  type ReconciliationRow,
} from './reconciliation.repository.js';

type LineStatus = 'matched' | 'amount_mismatch' | 'missing_in_system' | 'missing_in_statement';

interface ComparedClaim {
  id: string;
  externalRef: string;
  status: string;
  approvedAmount: string | null;
}

export interface ReconciliationLine {
  externalRef: string;
  status: LineStatus;
  statementAmount: Decimal | null;
  approvedAmount: Decimal | null;
  claimStatus: string | null;
  claimId: string | null;
}

const SETTLED_STATUSES = new Set(['approved', 'batched', 'paid']);

/**
 * Compares a statement with the claims, as api.md says. Every statement line is matched by its
 * reference: `matched` when the claim is approved (or batched, paid) for exactly that amount,
 * `amount_mismatch` when the amount differs or the claim is not approved, `missing_in_system`
 * when no claim has the reference. Then every claim of the period the statement does not list is
 * `missing_in_statement`, except rejected and withdrawn ones.
 */
export function compareStatement(
  statement: { externalRef: string; amount: string }[],
  listedClaims: ComparedClaim[],
  periodClaims: ComparedClaim[],
): ReconciliationLine[] {
  const byRef = new Map(listedClaims.map((claim) => [claim.externalRef, claim]));
  const lines: ReconciliationLine[] = statement.map((entry) => {
    const claim = byRef.get(entry.externalRef);
    const statementAmount = new Decimal(entry.amount);
    if (!claim) {
      return { externalRef: entry.externalRef, status: 'missing_in_system', statementAmount, approvedAmount: null, claimStatus: null, claimId: null };
    }
    const approvedAmount = claim.approvedAmount === null ? null : new Decimal(claim.approvedAmount);
    const matched = SETTLED_STATUSES.has(claim.status) && approvedAmount !== null && approvedAmount.equals(statementAmount);
    return {
      externalRef: entry.externalRef,
      status: matched ? 'matched' : 'amount_mismatch',
      statementAmount,
      approvedAmount,
      claimStatus: claim.status,
      claimId: claim.id,
    };
  });
  const listed = new Set(statement.map((entry) => entry.externalRef));
  for (const claim of periodClaims) {
    if (listed.has(claim.externalRef) || claim.status === 'rejected' || claim.status === 'withdrawn') continue;
    lines.push({
      externalRef: claim.externalRef,
      status: 'missing_in_statement',
      statementAmount: null,
      approvedAmount: claim.approvedAmount === null ? null : new Decimal(claim.approvedAmount),
      claimStatus: claim.status,
      claimId: claim.id,
    });
  }
  return lines;
}

/** Totals: what the statement says, what was approved and what was paid, over the compared claims. */
export function summarise(lines: ReconciliationLine[]) {
  const count = (status: LineStatus) => lines.filter((line) => line.status === status).length;
  const settled = lines.filter((line) => line.claimStatus !== null && SETTLED_STATUSES.has(line.claimStatus));
  return {
    matched: count('matched'),
    amountMismatch: count('amount_mismatch'),
    missingInSystem: count('missing_in_system'),
    missingInStatement: count('missing_in_statement'),
    statementTotal: sumMoney(lines.map((line) => line.statementAmount ?? ZERO)),
    approvedTotal: sumMoney(settled.map((line) => line.approvedAmount ?? ZERO)),
    paidTotal: sumMoney(settled.filter((line) => line.claimStatus === 'paid').map((line) => line.approvedAmount ?? ZERO)),
  };
}

const moneyOrNull = (value: string | null) => (value === null ? null : formatMoney(new Decimal(value)));

export function presentReconciliation(row: ReconciliationRow, lines: (ReconciliationLineRow & { childName: string | null })[]) {
  return {
    id: row.id,
    number: row.number ?? '',
    institutionId: row.institutionId,
    from: row.fromMonth,
    to: row.toMonth,
    regionCode: row.regionCode,
    createdAt: iso(row.createdAt),
    createdBy: row.createdByUserId,
    summary: {
      matched: row.matched,
      amountMismatch: row.amountMismatch,
      missingInSystem: row.missingInSystem,
      missingInStatement: row.missingInStatement,
      statementTotal: formatMoney(new Decimal(row.statementTotal)),
      approvedTotal: formatMoney(new Decimal(row.approvedTotal)),
      paidTotal: formatMoney(new Decimal(row.paidTotal)),
    },
    lines: lines.map((line) => ({
      externalRef: line.externalRef,
      status: line.status as LineStatus,
      statementAmount: moneyOrNull(line.statementAmount),
      approvedAmount: moneyOrNull(line.approvedAmount),
      claimStatus: line.claimStatus,
      claimId: line.claimId,
      childName: line.childName,
    })),
  };
}

export function createReconciliationService(deps: { db: Database }) {
  const { db } = deps;

  async function load(context: RequestContext, id: string) {
    const row = await findReconciliationInScope(db, context.actor, id);
    if (!row) throw notFound('reconciliation');
    const institution = await findInstitution(db, row.institutionId);
    return { row, lines: await linesOfReconciliation(db, id), institutionName: institution?.name ?? '', institutionRegion: institution?.regionCode ?? null };
  }

  return {
    async create(context: RequestContext, body: CreateReconciliationBody) {
      const { actor } = context;
      // An institution reconciles itself; a reviewer an institution that has claims in its region.
      const allowed =
        actor.role === 'institution'
          ? body.institutionId === actor.institutionId
          : await institutionHasClaimsInRegion(db, body.institutionId, actor.regionCode!);
      if (!allowed) throw notFound('institution');

      const id = newId();
      const institution = await findInstitution(db, body.institutionId);
      if (!institution) throw notFound('institution');
      const row = await db.transaction(async (tx) => {
        const refs = body.lines.map((line) => line.externalRef);
        const [listed, inPeriod] = await Promise.all([
          claimsByRefs(tx, actor, body.institutionId, refs),
          claimsInPeriod(tx, actor, body.institutionId, body.from, body.to),
        ]);
        const lines = compareStatement(body.lines, listed, inPeriod);
        const summary = summarise(lines);
        const reconciliation = {
          id,
          institutionId: body.institutionId,
          regionCode: actor.role === 'reviewer' ? actor.regionCode : null,
          fromMonth: body.from,
          toMonth: body.to,
          ...summary,
          statementTotal: formatMoney(summary.statementTotal),
          approvedTotal: formatMoney(summary.approvedTotal),
          paidTotal: formatMoney(summary.paidTotal),
          createdByUserId: actor.id,
          createdAt: context.now,
          // Numbered by the institution's region and the China year, from 1.
          number: await nextReconciliationNumber(tx, institution.regionCode, Number(chinaDate(context.now).slice(0, 4))),
        };
        await insertReconciliation(
          tx,
          reconciliation,
          lines.map((line, index) => ({
            reconciliationId: id,
            lineNo: index + 1,
            externalRef: line.externalRef,
            status: line.status,
            statementAmount: line.statementAmount === null ? null : formatMoney(line.statementAmount),
            approvedAmount: line.approvedAmount === null ? null : formatMoney(line.approvedAmount),
            claimStatus: line.claimStatus,
            claimId: line.claimId,
          })),
        );
        await recordAudit(tx, context, {
          action: 'reconciliation.created',
          entityType: 'reconciliation',
          entityId: id,
          regionCode: reconciliation.regionCode,
          data: { number: reconciliation.number, institutionId: body.institutionId, from: body.from, to: body.to, matched: summary.matched, amountMismatch: summary.amountMismatch, missingInSystem: summary.missingInSystem, missingInStatement: summary.missingInStatement },
        });
        return reconciliation;
      });
      return presentReconciliation(row as ReconciliationRow, await linesOfReconciliation(db, id));
    },

    /** GET /reconciliations: past reports, newest first, so they can be opened again. */
    async list(context: RequestContext, query: { institutionId?: string | undefined; cursor?: string | undefined; limit: number }) {
      const rows = await listReconciliationsInScope(db, context.actor, { institutionId: query.institutionId, beforeId: decodeCursor(query.cursor), limit: query.limit });
      return presentPage(rows, query.limit, (row) => {
        const { lines: _lines, ...summary } = presentReconciliation(row, []);
        return summary;
      });
    },

    async get(context: RequestContext, id: string) {
      const { row, lines } = await load(context, id);
      return presentReconciliation(row, lines);
    },

    /** The stored reconciliation with its institution's name and the office that issues it, for the PDF and the spreadsheet. */
    async document(context: RequestContext, id: string) {
      const { row, lines, institutionName, institutionRegion } = await load(context, id);
      const issuer = (await officeNames(db, institutionRegion ?? row.regionCode ?? '')).disabledPersonsFederation;
      return { ...presentReconciliation(row, lines), institutionName, issuer };
    },
  };
}

export type ReconciliationService = ReturnType<typeof createReconciliationService>;
