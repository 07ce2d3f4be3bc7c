import { z } from 'zod';
import { DateString, errorResponses, ErrorEnvelopeSchema, IdParams, ListQuery, listOf, RegionCode } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { CreatePolicyBody, PolicySchema } from './policies.schemas.js';
import type { PoliciesService } from './policies.service.js';

export function registerPolicyRoutes(app: App, policies: PoliciesService) {
  app.post('/api/v1/policies', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['policies'],
      summary: 'Add a policy version; it replaces the whole rule set from its date on',
      body: CreatePolicyBody,
      response: { 201: PolicySchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await policies.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/policies', {
    schema: {
      tags: ['policies'],
      summary: 'Policy versions, latest effectiveFrom first',
      querystring: ListQuery.extend({ regionCode: RegionCode.optional() }),
      response: { 200: listOf(PolicySchema), ...errorResponses },
    },
    handler: async (request) => policies.list(request.query),
  });

  app.get('/api/v1/policies/in-force', {
    schema: {
      tags: ['policies'],
      summary: 'The version in force for a region on a date',
      querystring: z.object({ regionCode: RegionCode, date: DateString }),
      response: { 200: PolicySchema, ...errorResponses },
    },
    handler: async (request) => policies.getInForce(request.query.regionCode, request.query.date),
  });

  app.get('/api/v1/policies/:id', {
    schema: { tags: ['policies'], summary: 'One policy version', params: IdParams, response: { 200: PolicySchema, ...errorResponses } },
    handler: async (request) => policies.get(request.params.id),
  });
}
