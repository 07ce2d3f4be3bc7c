import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Authentication } from '../auth/authenticator.js';
import type { Actor, RequestContext } from './context.js';
import type { Role } from '../domain/vocabulary.js';
import type { SheetRecords, SpreadsheetInput } from './spreadsheet.js';

export type App = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared spreadsheet reader, run off the request thread (app.ts gives it the worker pool). */
    readSpreadsheet: (input: SpreadsheetInput) => Promise<SheetRecords>;
  }
  interface FastifyContextConfig {
    /** Roles allowed on the route; any other role gets 403 before the request is looked at. */
    roles?: readonly Role[];
    /** A route that needs no credential (health, OpenAPI, docs; sign-in and activation). */
    public?: boolean;
    /**
     * Open to a restricted session (password to change, second factor to set up): 'open'; also to
     * an upgraded admin's one-time token, which sets a first password: 'passwordSetup'. Every
     * other route answers such a caller 403.
     */
    restricted?: 'open' | 'passwordSetup';
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** How the caller signed in: a session or a bearer token, and what it may do. */
    authentication: Authentication | null;
    /** The request's clock reading, taken once so that one request sees one "now". */
    receivedAt: Date;
  }
}

/** The context a service needs, from an authenticated request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new Error('contextOf called on a request without an authenticated actor');
  return { actor: request.actor, requestId: request.id, now: request.receivedAt, clientAddress: request.ip };
}

/** The authentication of a request on a route that requires one. */
export function authenticationOf(request: FastifyRequest): Authentication {
  if (!request.authentication) throw new Error('authenticationOf called on a request without an authenticated caller');
  return request.authentication;
}

/** Who is on the other end: the client address (from X-Forwarded-For behind TRUST_PROXY), the browser. */
export function clientOf(request: FastifyRequest) {
  return { address: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}
