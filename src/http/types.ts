import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
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
    /** A route outside /api/v1 that needs no token (health, OpenAPI, docs). */
    public?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    /** The request's clock reading, taken once so that one request sees one "now". */
    receivedAt: Date;
  }
}

/** The context a service needs, from an authenticated request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw new Error('contextOf called on a request without an authenticated actor');
  return { actor: request.actor, requestId: request.id, now: request.receivedAt, clientAddress: request.ip };
}
