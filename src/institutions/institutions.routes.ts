import { SCHEME_ROLES } from '../domain/vocabulary.js';
import { IdParams, ListQuery, listOf, RegionCode } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CreateInstitutionBody, InstitutionSchema, UpdateInstitutionBody } from './institutions.schemas.js';
import type { InstitutionsService } from './institutions.service.js';

export function registerInstitutionRoutes(app: App, institutions: InstitutionsService) {
  const route = apiRoutes(app, 'institutions');

  route(
    'POST /api/v1/institutions',
    { roles: ['admin'], summary: 'Designate an institution', body: CreateInstitutionBody, response: created(InstitutionSchema, 409) },
    async (request, reply) => reply.code(201).send(await institutions.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/institutions',
    { roles: SCHEME_ROLES, summary: 'List institutions (an institution user sees its own)', querystring: ListQuery.extend({ regionCode: RegionCode.optional() }), response: ok(listOf(InstitutionSchema)) },
    async (request) => institutions.list(contextOf(request), request.query),
  );

  route(
    'PUT /api/v1/institutions/:id',
    {
      roles: ['admin'],
      summary: 'Change an institution’s name or designated services (audited with old and new values), or ask to change its bank account (pending until another admin confirms)',
      params: IdParams,
      body: UpdateInstitutionBody,
      response: ok(InstitutionSchema),
    },
    async (request) => institutions.update(contextOf(request), request.params.id, request.body),
  );

  route(
    'POST /api/v1/institutions/:id/bank-account/confirm',
    {
      roles: ['admin'],
      summary: 'Confirm the pending bank account change: it takes effect now. Another admin than the one who asked (else 409 FOUR_EYES_REQUIRED)',
      params: IdParams,
      response: ok(InstitutionSchema, 409),
    },
    async (request) => institutions.confirmAccountChange(contextOf(request), request.params.id),
  );

  route('GET /api/v1/institutions/:id', { roles: SCHEME_ROLES, summary: 'One institution', params: IdParams, response: ok(InstitutionSchema) }, async (request) => institutions.get(contextOf(request), request.params.id));
}
