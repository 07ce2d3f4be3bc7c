import { SCHEME_ROLES } from '../domain/vocabulary.js';
import { z } from 'zod';
import { DateString, IdParams, ListQuery, listOf, RegionCode } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CreatePolicyBody, PolicySchema, WithdrawPolicyBody } from './policies.schemas.js';
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

  route(
    'POST /api/v1/policies/:id/approve',
    {
      roles: ['admin'],
      summary: 'A second admin approves a pending version; it is applied from its effectiveFrom (audited as policy.approved)',
      description: 'Not pending → 409 INVALID_STATE; the admin who added it → 409 FOUR_EYES_REQUIRED.',
      params: IdParams,
      response: ok(PolicySchema, 409),
    },
    async (request) => policies.approve(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/policies/:id/withdraw',
    {
      roles: ['admin'],
      summary: 'Withdraw a version not yet in force; it is never applied (audited as policy.withdrawn)',
      description: 'In force (effectiveFrom today or earlier, or a settlement used it) or withdrawn already → 409 INVALID_STATE: add a new version instead.',
      params: IdParams,
      body: WithdrawPolicyBody,
      response: ok(PolicySchema, 409),
    },
    async (request) => policies.withdraw(contextOf(request), request.params.id, request.body.reason),
  );

  route('GET /api/v1/policies/:id', { roles: SCHEME_ROLES, summary: 'One policy version', params: IdParams, response: ok(PolicySchema) }, async (request) => policies.get(request.params.id));
}
