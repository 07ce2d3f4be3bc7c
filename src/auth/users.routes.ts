import { IdParams, ListQuery, listOf } from '../http/schemas.js';
import { apiRoutes, created, ok } from '../http/routes.js';
import { contextOf, type App } from '../http/types.js';
import { CreateUserBody, UserSchema, UserWithActivationSchema } from './users.schemas.js';
import type { UsersService } from './users.service.js';

// Accounts, by an admin (security.md §1). No answer ever holds a password or token; an activation
// code is shown once, in the answer of the creation or reset that made it.

export function registerUserRoutes(app: App, users: UsersService) {
  const route = apiRoutes(app, 'users');

  route(
    'POST /api/v1/users',
    {
      roles: ['admin'],
      summary: 'Create an account; the answer shows its activation code once (once a personal admin has activated, it works after a second admin confirms)',
      body: CreateUserBody,
      response: created(UserWithActivationSchema, 409),
    },
    async (request, reply) => reply.code(201).send(await users.create(contextOf(request), request.body)),
  );

  route(
    'GET /api/v1/users',
    { roles: ['admin'], summary: 'List accounts, with what waits for a second admin', querystring: ListQuery, response: ok(listOf(UserSchema)) },
    async (request) => users.list(request.query.cursor, request.query.limit),
  );

  route(
    'POST /api/v1/users/:id/disable',
    { roles: ['admin'], summary: 'Disable an account: its sessions and API tokens end at once', params: IdParams, response: ok(UserSchema, 409) },
    async (request) => users.disable(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/users/:id/enable',
    { roles: ['admin'], summary: 'Enable a disabled account again (no session or token comes back)', params: IdParams, response: ok(UserSchema, 409) },
    async (request) => users.enable(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/users/:id/reset',
    {
      roles: ['admin'],
      summary: 'Reset an account: its password, second factor, sessions and API tokens stop at once; a new activation code, shown once',
      params: IdParams,
      response: ok(UserWithActivationSchema, 409),
    },
    async (request) => users.reset(contextOf(request), request.params.id),
  );

  route(
    'POST /api/v1/users/:id/confirm',
    { roles: ['admin'], summary: 'Confirm another admin’s creation, reset or enabling of an account (two admins for an account)', params: IdParams, response: ok(UserSchema, 409) },
    async (request) => users.confirm(contextOf(request), request.params.id),
  );
}
