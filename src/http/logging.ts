import type { FastifyRequest } from 'fastify';

// Request logs must never hold a bearer token, a full ID number, a phone number or a bank account
// number. Headers are
// not logged at all; the URL is logged with the values of personal query parameters masked.

// q and child search children by name or part of an ID number; an evidence file's name often
// names the child (张小明出院小结.pdf).
const PERSONAL_QUERY_PARAMETERS = new Set(['idnumber', 'childidnumber', 'phone', 'token', 'accountnumber', 'q', 'child', 'filename']);

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

// A last line of defence: whatever a log line holds (an error message quoting a value, a driver
// error's detail), ID numbers, mobile phone numbers, bank account numbers and bearer tokens are
// masked before the line leaves the process. A bank card or account number is taken to be any run
// of 14 or more digits (card numbers have 16 to 19); a log's own numbers (times in milliseconds,
// 13 digits; durations; counts) are shorter.
const ID_NUMBER = /(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const MOBILE_PHONE = /(?<![0-9A-Za-z])(1[3-9]\d)\d{4}(\d{4})(?![0-9A-Za-z])/g;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi;
const ACCOUNT_NUMBER = /(?<![0-9A-Za-z])(\d{4})\d{6,}(\d{4})(?![0-9A-Za-z])/g;

export function scrubPersonalData(line: string): string {
  return line.replace(ID_NUMBER, '$1********$2').replace(MOBILE_PHONE, '$1****$2').replace(BEARER, '$1[redacted]').replace(ACCOUNT_NUMBER, '$1******$2');
}

/** A log destination that scrubs every line on its way to the real one. */
export function scrubbingStream(destination: { write(line: string): unknown }): { write(line: string): void } {
  return { write: (line: string) => void destination.write(scrubPersonalData(line)) };
}

/**
 * What an unexpected error logs: its type, message and stack, and for a database error the SQL
 * state, constraint and query text but never the query's parameters or the row detail, which
 * hold personal data.
 */
export function loggableError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const cause = (error as { cause?: unknown }).cause as { code?: unknown; constraint_name?: unknown; constraint?: unknown; message?: unknown } | undefined;
  const query = (error as { query?: unknown }).query;
  if (typeof query === 'string') {
    return {
      type: error.name,
      message: 'database query failed (parameters withheld)',
      query,
      sqlState: typeof cause?.code === 'string' ? cause.code : undefined,
      constraint: cause?.constraint_name ?? cause?.constraint,
      cause: typeof cause?.message === 'string' ? cause.message : undefined,
      stack: error.stack?.split('\n').slice(1).join('\n'),
    };
  }
  return { type: error.name, message: error.message, stack: error.stack };
}

/** The service's logger: JSON lines, request URLs masked, every line scrubbed. */
export function loggerOptions(level: string, destination: { write(line: string): unknown }) {
  return {
    level,
    stream: scrubbingStream(destination),
    serializers: { req: requestSerializer },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
  };
}
