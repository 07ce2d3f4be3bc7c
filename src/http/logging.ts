import type { FastifyRequest } from 'fastify';

// Request logs must never hold a bearer token, a full ID number or a phone number. Headers are
// not logged at all; the URL is logged with the values of personal query parameters masked.

const PERSONAL_QUERY_PARAMETERS = new Set(['idnumber', 'childidnumber', 'phone', 'token']);

export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const key of [...params.keys()]) {
    if (PERSONAL_QUERY_PARAMETERS.has(key.toLowerCase())) params.set(key, '***');
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

export const requestSerializer = (request: FastifyRequest) => ({
  method: request.method,
  url: redactUrl(request.url),
  remoteAddress: request.ip,
});
