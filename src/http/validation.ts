import type { z } from 'zod';
import { AppError } from './errors.js';
import { issueHint } from './issueHints.js';

/** The issues of a failed zod parse as the envelope's details: field path, message and what to do in Chinese. */
export function issueDetails(error: z.ZodError) {
  return error.issues.map((issue) => {
    const hint = issueHint(issue);
    return { in: 'body', field: issue.path.map(String).join('.') || null, message: issue.message, ...(hint ? { hint } : {}) };
  });
}

/** Validates a value the route could not give to fastify's validation (an upload turned into JSON). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = issueDetails(result.error);
  const summary = details.map((detail) => (detail.field ? `${detail.field}: ${detail.message}` : detail.message)).join('; ');
  throw new AppError('VALIDATION_FAILED', `invalid body: ${summary}`, details);
}
