import { contextOf, type App } from '../http/types.js';
import { errorResponses, ErrorEnvelopeSchema, IdParams, ListQuery, listOf } from '../http/schemas.js';
import { CreatedUserSchema, CreateUserBody, UserSchema } from './users.schemas.js';
import type { UsersService } from './users.service.js';

export function registerUserRoutes(app: App, users: UsersService) {
  app.post('/api/v1/users', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: 'Create a user; the answer shows its token once',
      body: CreateUserBody,
      response: { 201: CreatedUserSchema, ...errorResponses },
    },
    handler: async (request, reply) => reply.code(201).send(await users.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/users', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'List users', querystring: ListQuery, response: { 200: listOf(UserSchema), ...errorResponses } },
    handler: async (request) => users.list(request.query.cursor, request.query.limit),
  });

  app.post('/api/v1/users/:id/disable', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'Disable a user: its token answers 401', params: IdParams, response: { 200: UserSchema, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request) => users.disable(contextOf(request), request.params.id),
  });

  app.post('/api/v1/users/:id/enable', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'Enable a disabled user again', params: IdParams, response: { 200: UserSchema, 409: ErrorEnvelopeSchema, ...errorResponses } },
    handler: async (request) => users.enable(contextOf(request), request.params.id),
  });

  app.post('/api/v1/users/:id/token', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: 'Issue a new token for a user (shown once in the answer); the old token stops working',
      params: IdParams,
      response: { 200: CreatedUserSchema, 409: ErrorEnvelopeSchema, ...errorResponses },
    },
    handler: async (request) => users.reissueToken(contextOf(request), request.params.id),
  });

  app.get('/api/v1/me', {
    schema: {
      tags: ['users'],
      summary: 'The calling user (bootstrap: signed in with BOOTSTRAP_ADMIN_TOKEN, which stops once a personal admin is created)',
      response: { 200: UserSchema.omit({ createdAt: true, disabledAt: true }), ...errorResponses },
    },
    handler: async (request) => contextOf(request).actor,
  });
}
