import { apiRoutes, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { BudgetBody, BudgetParams, BudgetSchema, RegionNameSchema, RegionParams, RegionSettingsBody, RegionSettingsSchema, RequiredEvidenceAnswer } from './regions.schemas.js';
import type { RegionsService } from './regions.service.js';

const REGION_OFFICES = ['admin', 'reviewer', 'finance', 'civil_affairs'] as const;
/** Who reads a region's settings: its offices, and the townships and departments of children in difficulty. */
const SETTINGS_READERS = [...REGION_OFFICES, 'township', 'department'] as const;

export function registerRegionRoutes(app: App, regions: RegionsService) {
  const route = apiRoutes(app, 'regions');

  route(
    'GET /api/v1/regions/:regionCode',
    { summary: 'A region’s names from the division table (通川区, 四川省达州市通川区); an unknown code is 404', params: RegionParams, response: ok(RegionNameSchema) },
    async (request) => regions.name(request.params.regionCode),
  );

  route(
    'GET /api/v1/regions/:regionCode/required-evidence',
    {
      summary: 'The evidence a region requires for each service before a claim is approved (every role: institutions attach it)',
      params: RegionParams,
      response: ok(RequiredEvidenceAnswer),
    },
    async (request) => regions.requiredEvidence(request.params.regionCode),
  );

  route(
    'GET /api/v1/regions/:regionCode/settings',
    {
      roles: SETTINGS_READERS,
      summary: 'A region’s settings: review working days (default 5), supervision phone, the working days and notice rules of children in difficulty',
      params: RegionParams,
      response: ok(RegionSettingsSchema),
    },
    async (request) => regions.getSettings(contextOf(request), request.params.regionCode),
  );

  route(
    'PUT /api/v1/regions/:regionCode/settings',
    {
      roles: ['admin'],
      summary: 'Set a region’s settings (each optional; null returns one to its default)',
      params: RegionParams,
      body: RegionSettingsBody,
      response: ok(RegionSettingsSchema),
    },
    async (request) => regions.putSettings(contextOf(request), request.params.regionCode, request.body),
  );

  route(
    'GET /api/v1/regions/:regionCode/budgets/:year',
    {
      roles: REGION_OFFICES,
      summary: 'A region’s budgets of a year: rehabilitation assistance, the care allowance’s two funds, children in difficulty’s basic living (null when unset)',
      params: BudgetParams,
      response: ok(BudgetSchema),
    },
    async (request) => regions.getBudget(contextOf(request), request.params.regionCode, request.params.year),
  );

  route(
    'PUT /api/v1/regions/:regionCode/budgets/:year',
    { roles: ['admin'], summary: 'Set a region’s budgets of a year (each optional; null removes one)', params: BudgetParams, body: BudgetBody, response: ok(BudgetSchema) },
    async (request) => regions.putBudget(contextOf(request), request.params.regionCode, request.params.year, request.body),
  );
}
