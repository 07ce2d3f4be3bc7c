import { chinaDate, endOfChinaDayExclusive } from '../domain/chinaTime.js';
import type { Database } from '../db/client.js';
import type { RequestContext } from '../http/context.js';
import { validationFailed } from '../http/errors.js';
import { decodeCursor, decodeTimestampCursor, page } from '../http/pagination.js';
import { loadDeadlines, type Deadlines } from '../calendar/deadlines.js';
import { getClaim, money, presentClaims } from './claimPresentation.js';
import { MAX_EXPORTED_CLAIMS, type ClaimFilterQuery, type ClaimListQuery } from './claims.schemas.js';
import { countClaimsInScope, exportClaimsInScope, listClaimsInScope, type ClaimFilter } from './claims.repository.js';
import { renderClaimsXlsx } from './claimsXlsx.js';
import { idNumberSearch } from '../children/childSecrets.js';
import type { FieldCipher } from '../keys/fieldCipher.js';

// Reading claims: one (GET /claims/:id), a page of a filtered list or the review queue
// (GET /claims), how many a filter finds (GET /claims/count) and the spreadsheet of them
// (GET /claims/export.xlsx). Each is scoped by role in the repository's query.

/** The filters of a claims query as the repository takes them; overdue=true is a due-date condition. */
function filterOf(query: ClaimFilterQuery, deadlines: Deadlines, today: string, cipher: FieldCipher): ClaimFilter {
  return {
    ...query,
    child: query.child ? { name: query.child, ...idNumberSearch(cipher, query.child) } : undefined,
    overdue:
      query.overdue === 'true'
        ? (regionColumn, submittedBefore) => deadlines.overdueCondition(regionColumn, today, (day) => submittedBefore(endOfChinaDayExclusive(day)))
        : undefined,
  };
}

export function createQueriesService(deps: { db: Database; cipher: FieldCipher }) {
  const { db, cipher } = deps;
  return {
    get: (context: RequestContext, id: string) => getClaim(db, context, id),

    /** GET /claims: the review queue by due date (`status=submitted`), `overdue=true` past it. */
    async list(context: RequestContext, query: ClaimListQuery) {
      const today = chinaDate(context.now);
      const deadlines = await loadDeadlines(db);
      const byReceipt = query.status === 'submitted' || query.overdue === 'true';
      const timestampCursor = byReceipt ? decodeTimestampCursor(query.cursor) : undefined;
      const idCursor = byReceipt ? undefined : decodeCursor(query.cursor);
      const rows = await listClaimsInScope(db, context.actor, {
        ...filterOf(query, deadlines, today, cipher),
        byReceipt,
        after: timestampCursor ? { submittedAt: timestampCursor.at, id: timestampCursor.id } : idCursor ? { id: idCursor } : undefined,
        limit: query.limit,
      });
      const result = page(rows, query.limit, byReceipt ? (row) => [row.submittedAt.toISOString(), row.id] : undefined);
      return { items: await presentClaims(db, result.items, today, deadlines), nextCursor: result.nextCursor };
    },

    /** GET /claims/count: how many claims the filters of GET /claims find. */
    async count(context: RequestContext, query: ClaimFilterQuery) {
      const today = chinaDate(context.now);
      const counted = await countClaimsInScope(db, context.actor, filterOf(query, await loadDeadlines(db), today, cipher));
      return { count: counted.count, approvedTotal: money(counted.approvedTotal) };
    },

    /** GET /claims/export.xlsx: the claims the filters find, as a spreadsheet (up to MAX_EXPORTED_CLAIMS). */
    async exportXlsx(context: RequestContext, query: ClaimFilterQuery) {
      const today = chinaDate(context.now);
      const rows = await exportClaimsInScope(db, context.actor, filterOf(query, await loadDeadlines(db), today, cipher), MAX_EXPORTED_CLAIMS);
      if (rows.length > MAX_EXPORTED_CLAIMS) {
        throw validationFailed(`the filters find more than ${MAX_EXPORTED_CLAIMS} claims: narrow them (a status, an institution, a period) and export in parts`);
      }
      const described = Object.entries(query)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join('，');
      return renderClaimsXlsx(
        rows.map(({ claim, childName, idNumberMasked, institutionName }) => ({
          externalRef: claim.externalRef,
          institutionName,
          childName,
          idNumberMasked: idNumberMasked!,
          category: claim.category,
          service: claim.service,
          period: claim.periodFrom ? `${claim.periodFrom} 至 ${claim.periodTo}` : claim.serviceDate!,
          grossCost: claim.grossCost,
          remainder: claim.remainder,
          estimate: claim.estimateSubsidy,
          approvedAmount: claim.approvedAmount,
          status: claim.status,
          submittedOn: chinaDate(claim.submittedAt),
        })),
        described,
      );
    },
  };
}

export type QueriesService = ReturnType<typeof createQueriesService>;
