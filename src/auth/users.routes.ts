import { contextOf, type App } from '../http/types.js';
import { errorResponses, ErrorEnvelopeSchema, IdParams, ListQuery, listOf } from '../http/schemas.js';
import { CreateUserBody, UserSchema, UserWithActivationSchema } from './users.schemas.js';
import type { UsersService } from './users.service.js';

// Accounts, by an admin (security.md §1). No answer ever holds a password or token; an activation
// code is shown once, in the answer of the creation or reset that made it.

export function registerUserRoutes(app: App, users: UsersService) {
  const conflict = { 409: ErrorEnvelopeSchema };

  app.post('/api/v1/users', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: 'Create an account; the answer shows its activation code once (once a personal admin has activated, it works after a second admin confirms)',
      body: CreateUserBody,
      response: { 201: UserWithActivationSchema, ...errorResponses, ...conflict },
    },
    handler: async (request, reply) => reply.code(201).send(await users.create(contextOf(request), request.body)),
  });

  app.get('/api/v1/users', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'List accounts, with what waits for a second admin', querystring: ListQuery, response: { 200: listOf(UserSchema), ...errorResponses } },
    handler: async (request) => users.list(request.query.cursor, request.query.limit),
  });

  app.post('/api/v1/users/:id/disable', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'Disable an account: its sessions and API tokens end at once', params: IdParams, response: { 200: UserSchema, ...errorResponses, ...conflict } },
    handler: async (request) => users.disable(contextOf(request), request.params.id),
  });

  app.post('/api/v1/users/:id/enable', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'Enable a disabled account again (no session or token comes back)', params: IdParams, response: { 200: UserSchema, ...errorResponses, ...conflict } },
    handler: async (request) => users.enable(contextOf(request), request.params.id),
  });

  app.post('/api/v1/users/:id/reset', {
    config: { roles: ['admin'] },
    schema: {
      tags: ['users'],
      summary: 'Reset an account: its password, second factor, sessions and API tokens stop at once; a new activation code, shown once',
      params: IdParams,
      response: { 200: UserWithActivationSchema, ...errorResponses, ...conflict },
    },
    handler: async (request) => users.reset(contextOf(request), request.params.id),
  });

  app.post('/api/v1/users/:id/confirm', {
    config: { roles: ['admin'] },
    schema: { tags: ['users'], summary: 'Confirm another admin’s creation, reset or enabling of an account (two admins for an account)', params: IdParams, response: { 200: UserSchema, ...errorResponses, ...conflict } },
    handler: async (request) => users.confirm(contextOf(request), request.params.id),
  });
}
