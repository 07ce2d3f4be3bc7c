import { z } from 'zod';
import { PreviewBody, SettlementPreviewSchema } from '../claims/claims.schemas.js';
import type { ClaimsService } from '../claims/claims.service.js';
import { IdParams, MoneyOutput } from '../http/schemas.js';
import { apiRoutes, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import type { EntitlementsService } from './entitlements.service.js';

const EntitlementsSchema = z.object({
  childId: z.string(),
  year: z.number().int(),
  policyId: z.string().nullable(),
  items: z.array(
    z.object({
      service: z.string(),
      deviceKind: z.string().nullable(),
      annualLimit: MoneyOutput.nullable(),
      monthlyLimit: MoneyOutput.nullable(),
      oncePerChildLimit: MoneyOutput.nullable(),
      maxAge: z.number().int(),
      usedThisYear: MoneyOutput,
      usedEver: MoneyOutput,
      remaining: MoneyOutput.nullable().meta({ description: 'What the annual or once-per-child limit still allows' }),
      pending: MoneyOutput.meta({ description: 'Estimated subsidies of claims still waiting for review' }),
    }),
  ),
});

export function registerSettlementRoutes(app: App, deps: { claims: ClaimsService; entitlements: EntitlementsService }) {
  const route = apiRoutes(app, 'settlements');

  route(
    'POST /api/v1/settlements/preview',
    { roles: ['institution', 'reviewer'], summary: 'The settlement a claim would get if approved now; nothing is stored', body: PreviewBody, response: ok(SettlementPreviewSchema, 422) },
    async (request) => deps.claims.preview(contextOf(request), request.body),
  );

  route(
    'GET /api/v1/children/:id/entitlements',
    {
      // Not finance's: what a child may still receive follows from its disability category, which
      // finance does not read (security.md §5, least privilege).
      roles: ['reviewer', 'institution'],
      summary: 'Per service: the limit, what is used and what remains in a year',
      params: IdParams,
      querystring: z.object({ year: z.coerce.number().int().min(2000).max(2100) }),
      response: ok(EntitlementsSchema),
    },
    async (request) => deps.entitlements.forChild(contextOf(request), request.params.id, request.query.year),
  );
}
