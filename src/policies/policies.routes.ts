import { SCHEME_ROLES } from '../domain/vocabulary.js';
import { z } from 'zod';
import { DateString, IdParams, ListQuery, listOf, RegionCode } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CreatePolicyBody, PolicySchema } from './policies.schemas.js';
import type { PoliciesService } from './policies.service.js';

export function registerPolicyRoutes(app: App, policies: PoliciesService) {
  const route = apiRoutes(app, 'policies');

  route(
    'POST /api/v1/policies',
    { roles: ['admin'], summary: 'Add a policy version; it replaces the whole rule set from its date on', body: CreatePolicyBody, response: created(PolicySchema, 409) },
    async (request, reply) => reply.code(201).send(await policies.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/policies',
    { roles: SCHEME_ROLES, summary: 'Policy versions, latest effectiveFrom first', querystring: ListQuery.extend({ regionCode: RegionCode.optional() }), response: ok(listOf(PolicySchema)) },
    async (request) => policies.list(request.query),
  );

  route(
    'GET /api/v1/policies/in-force',
    { roles: SCHEME_ROLES, summary: 'The version in force for a region on a date', querystring: z.object({ regionCode: RegionCode, date: DateString }), response: ok(PolicySchema) },
    async (request) => policies.getInForce(request.query.regionCode, request.query.date),
  );

  route('GET /api/v1/policies/:id', { roles: SCHEME_ROLES, summary: 'One policy version', params: IdParams, response: ok(PolicySchema) }, async (request) => policies.get(request.params.id));
}
