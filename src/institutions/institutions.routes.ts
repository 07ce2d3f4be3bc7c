import { errorResponses, ErrorEnvelopeSchema, IdParams, ListQuery, listOf, RegionCode } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { CreateInstitutionBody, InstitutionSchema, UpdateInstitutionBody } from './institutions.schemas.js';
import type { InstitutionsService } from './institutions.service.js';

export function registerInstitutionRoutes(app: App, institutions: InstitutionsService) {
  app.post('/api/v1/institutions', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['institutions'],
      summary: 'Designate an institution',
      body: CreateInstitutionBody,
      response: { 201: InstitutionSchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await institutions.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/institutions', {
    schema: {
      tags: ['institutions'],
      summary: 'List institutions (an institution user sees its own)',
      querystring: ListQuery.extend({ regionCode: RegionCode.optional() }),
      response: { 200: listOf(InstitutionSchema), ...errorResponses },
    },
    handler: async (request) => institutions.list(contextOf(request), request.query),
  });

  app.put('/api/v1/institutions/:id', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['institutions'],
      summary: 'Change an institution’s name or designated services (audited with old and new values), or ask to change its bank account (pending until another admin confirms)',
      params: IdParams,
      body: UpdateInstitutionBody,
      response: { 200: InstitutionSchema, ...errorResponses },
    },
    handler: async (request) => institutions.update(contextOf(request), request.params.id, request.body),
  });

  app.post('/api/v1/institutions/:id/bank-account/confirm', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['institutions'],
      summary: 'Confirm the pending bank account change: it takes effect now. Another admin than the one who asked (else 409 FOUR_EYES_REQUIRED)',
      params: IdParams,
      response: { 200: InstitutionSchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request) => institutions.confirmAccountChange(contextOf(request), request.params.id),
  });

  app.get('/api/v1/institutions/:id', {
    schema: {
      tags: ['institutions'],
      summary: 'One institution',
      params: IdParams,
      response: { 200: InstitutionSchema, ...errorResponses },
    },
    handler: async (request) => institutions.get(contextOf(request), request.params.id),
  });
}
