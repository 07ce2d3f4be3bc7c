import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { FastifyReply, FastifySchema, RouteGenericInterface, RouteHandlerMethod } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Role } from '../domain/vocabulary.js';
import { errorResponses, ErrorEnvelopeSchema } from './schemas.js';
import type { App } from './types.js';
import { XLSX_TYPE } from './uploads.js';

// The API's routes, one declaration each: the method and path, who may call it, what it takes
// and answers (one zod schema for validation, types and the OpenAPI document), and the handler.
// A feature's routes share its OpenAPI tag:
//   const route = apiRoutes(app, 'regions');
//   route('GET /api/v1/regions/:regionCode', { summary: '…', params: RegionParams, response: ok(RegionNameSchema) }, handler);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSpec extends FastifySchema {
  summary: string;
  description?: string;
  /** Roles allowed; any other role gets 403 before anything is looked up. Without it, every signed-in role. */
  roles?: readonly Role[];
  /** Needs no credential (sign-in, activation): no authentication, and none in the OpenAPI document. */
  public?: true;
  /** Open to a restricted session as well (types.ts, FastifyContextConfig's `restricted`). */
  restricted?: 'open' | 'passwordSetup';
  /** A cap on the calls of one address to this route, per instance (@fastify/rate-limit). */
  rateLimit?: { max: number; timeWindow: number };
  /** A larger body than the service's 1 MiB (uploads). */
  bodyLimit?: number;
}

type Handler<Spec extends RouteSpec> = RouteHandlerMethod<Server, IncomingMessage, ServerResponse, RouteGenericInterface, unknown, Spec, ZodTypeProvider>;

export function apiRoutes(app: App, tag: string) {
  return <const Spec extends RouteSpec>(endpoint: `${Method} /api/v1/${string}`, spec: Spec, handler: Handler<Spec>) => {
    const [method, url] = endpoint.split(' ') as [Method, string];
    const { roles, public: isPublic, restricted, rateLimit, bodyLimit, ...schema } = spec;
    const config = { ...(roles ? { roles } : {}), ...(isPublic ? { public: true } : {}), ...(restricted ? { restricted } : {}), ...(rateLimit ? { rateLimit } : {}) };
    app.route({
      method,
      url,
      ...(Object.keys(config).length > 0 ? { config } : {}),
      ...(bodyLimit ? { bodyLimit } : {}),
      schema: { tags: [tag], ...(isPublic ? { security: [] } : {}), ...schema },
      handler: handler as never,
    });
  };
}

type Refusal = 409 | 422 | 429;
type Answers<Status extends number, Success extends z.ZodType, R extends Refusal> = { [Key in Status]: Success } & { [Key in R]: typeof ErrorEnvelopeSchema } & typeof errorResponses;

function answers<Status extends number, Success extends z.ZodType, R extends Refusal>(status: Status, success: Success, refusals: R[]): Answers<Status, Success, R> {
  return { [status]: success, ...Object.fromEntries(refusals.map((code) => [code, ErrorEnvelopeSchema])), ...errorResponses } as Answers<Status, Success, R>;
}

/** A route's answers: 200 with `success`, the errors every route may give, and the refusals named (409, 422, 429). */
export const ok = <Success extends z.ZodType, R extends Refusal = never>(success: Success, ...refusals: R[]) => answers(200, success, refusals);

/** The same with 201: the route makes something. */
export const created = <Success extends z.ZodType, R extends Refusal = never>(success: Success, ...refusals: R[]) => answers(201, success, refusals);

const FILE_TYPES: Record<string, string> = { pdf: 'application/pdf', xlsx: XLSX_TYPE, csv: 'text/csv; charset=utf-8', gz: 'application/gzip', jpg: 'image/jpeg', png: 'image/png' };

/**
 * A file answered as a download, its type by the name's ending (.pdf, .xlsx, .csv, .gz, .jpg, .png). `localName` is
 * the name a browser saves it under (RFC 6266 filename*, in UTF-8: 救助申报清单.xlsx); `fileName`
 * the ASCII name for clients that read only that.
 */
export function attachment(reply: FastifyReply, bytes: Buffer, fileName: string, localName?: string) {
  const type = FILE_TYPES[fileName.split('.').at(-1)!];
  if (!type) throw new Error(`no content type for ${fileName}`);
  const disposition = `attachment; filename="${fileName}"${localName ? `; filename*=UTF-8''${encodeURIComponent(localName)}` : ''}`;
  return reply.header('content-type', type).header('content-disposition', disposition).send(bytes);
}
