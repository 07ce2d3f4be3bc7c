import { errorResponses, ErrorEnvelopeSchema, IdParams, listOf } from '../http/schemas.js';
import { contextOf, type App } from '../http/types.js';
import { ChildListQuery, ChildSchema, RegisterChildBody } from './children.schemas.js';
import type { ChildrenService } from './children.service.js';

export function registerChildRoutes(app: App, children: ChildrenService) {
  app.post('/api/v1/children', {
    config: { roles: ['reviewer', 'institution'] },
    schema: {
      tags: ['children'],
      summary: 'Register a child (一人一档); birth date and sex come from the ID number',
      body: RegisterChildBody,
      response: { 201: ChildSchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await children.register(contextOf(request), request.body)),
  });

  app.get('/api/v1/children', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: {
      tags: ['children'],
      summary: 'Children in the caller’s scope',
      querystring: ChildListQuery,
      response: { 200: listOf(ChildSchema), ...errorResponses },
    },
    handler: async (request) => children.list(contextOf(request), request.query),
  });

  app.get('/api/v1/children/:id', {
    config: { roles: ['reviewer', 'finance', 'institution'] },
    schema: { tags: ['children'], summary: 'One child', params: IdParams, response: { 200: ChildSchema, ...errorResponses } },
    handler: async (request) => children.get(contextOf(request), request.params.id),
  });
}
