import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { sqlState } from '../db/client.js';
import type { z } from 'zod';
import { AppError, envelope, ERROR_STATUS } from './errors.js';
import { issueHint } from './issueHints.js';
import { loggableError } from './logging.js';

interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown> & { issue?: { path?: PropertyKey[]; code?: string } };
}

function describeIssues(issues: ValidationIssue[], context: string | undefined) {
  return issues.map((issue) => {
    const path = issue.params?.issue?.path;
    const field = path && path.length > 0 ? path.map(String).join('.') : (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    // fastify-type-provider-zod keeps the zod issue as keyword (its code), message and params (the rest).
    const pathParts = field ? field.split('.') : [];
    const hint = issue.keyword ? issueHint({ ...issue.params, code: issue.keyword, message: issue.message ?? '', path: pathParts } as unknown as z.core.$ZodIssue) : null;
    return { in: context ?? 'body', field: field || null, message: issue.message ?? 'invalid value', ...(hint ? { hint } : {}) };
  });
}

/**
 * Turns every error into the envelope of api.md. Unexpected errors are logged in full and
 * answered with a generic message: their text is never shown to the client.
 */
export function errorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    // Unavailable for now (a worker that failed, conflicts that kept recurring): try again shortly.
    if (error.code === 'SERVICE_UNAVAILABLE') reply.header('retry-after', '1');
    // Too many failed sign-ins from one address: the seconds until its window closes.
    const retryAfterSeconds = (error.details[0] as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
    if (error.code === 'RATE_LIMITED' && typeof retryAfterSeconds === 'number') reply.header('retry-after', String(retryAfterSeconds));
    return reply.code(error.statusCode).send(envelope(error.code, error.message, error.details));
  }

  if (hasZodFastifySchemaValidationErrors(error) || (error as FastifyError).validation) {
    const fastifyError = error as FastifyError;
    // An id in the path that is not even a UUID names nothing: the same 404 as an unknown id.
    if (fastifyError.validationContext === 'params') {
      return reply.code(404).send(envelope('NOT_FOUND', 'resource not found'));
    }
    const details = describeIssues((fastifyError.validation ?? []) as ValidationIssue[], fastifyError.validationContext);
    const summary = details.map((detail) => (detail.field ? `${detail.field}: ${detail.message}` : detail.message)).join('; ');
    return reply.code(400).send(envelope('VALIDATION_FAILED', `invalid ${fastifyError.validationContext ?? 'request'}: ${summary}`, details));
  }

  if (isResponseSerializationError(error)) {
    request.log.error({ error: loggableError(error), issues: error.cause?.issues?.map((issue) => ({ path: issue.path, code: issue.code })) }, 'response did not match its schema');
    return reply.code(500).send(envelope('INTERNAL_ERROR', `internal error (request ${request.id})`));
  }

  const state = sqlState(error);
  if (state?.startsWith('22')) {
    // A data exception (a NUL byte, a number out of range...) is bad input that validation let
    // through: answer 400 and log it, since validation should have caught it.
    request.log.warn({ error: loggableError(error), sqlState: state }, 'database refused a value that passed validation');
    return reply.code(400).send(envelope('VALIDATION_FAILED', 'a value in the request cannot be stored'));
  }
  if (state === '40001' || state === '40P01') {
    request.log.warn({ sqlState: state }, 'gave up after repeated transaction conflicts');
    return reply.code(503).header('retry-after', '1').send(envelope('SERVICE_UNAVAILABLE', 'the service is busy; retry the request'));
  }

  const statusCode = (error as FastifyError).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    // Fastify's own client errors: malformed JSON, body too large, unsupported media type.
    const code =
      statusCode === 413 ? 'PAYLOAD_TOO_LARGE'
      : statusCode === 415 ? 'UNSUPPORTED_MEDIA_TYPE'
      : statusCode === 404 ? 'NOT_FOUND'
      : statusCode === 405 ? 'METHOD_NOT_ALLOWED'
      : 'VALIDATION_FAILED';
    return reply.code(ERROR_STATUS[code]).send(envelope(code, error.message));
  }

  request.log.error({ error: loggableError(error) }, 'unexpected error');
  return reply.code(500).send(envelope('INTERNAL_ERROR', `internal error (request ${request.id})`));
}
