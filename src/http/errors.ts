// Typed errors with the stable codes of api.md. Services throw these; the error handler turns
// them into the envelope {"error": {"code", "message", "details"}}.

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  WEAK_PASSWORD: 400,
  UNAUTHENTICATED: 401,
  ACCOUNT_LOCKED: 401,
  OTP_REQUIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_EXISTS: 409,
  DUPLICATE_EXTERNAL_REF: 409,
  DUPLICATE_SERVICE_PERIOD: 409,
  INVALID_STATE: 409,
  FOUR_EYES_REQUIRED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INELIGIBLE_AGE: 422,
  CATEGORY_NOT_COVERED: 422,
  SERVICE_NOT_YET_DELIVERED: 422,
  NOT_REFERRED: 422,
  SERVICE_NOT_DESIGNATED: 422,
  AFTER_DROPOUT: 422,
  DEDUCTIONS_EXCEED_GROSS: 422,
  PERIOD_CROSSES_YEAR: 422,
  APPROVAL_EXCEEDS_ENTITLEMENT: 422,
  AMOUNT_MISMATCH: 422,
  EVIDENCE_MISSING: 422,
  NO_CERTIFICATE: 422,
  CRITERIA_NOT_MET: 422,
  NOTICE_PERIOD_NOT_OVER: 409,
  BULK_REFUSED: 422,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown[];

  constructor(code: ErrorCode, message: string, details: unknown[] = []) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return ERROR_STATUS[this.code];
  }
}

export const notFound = (what = 'resource') => new AppError('NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'your role may not do this') => new AppError('FORBIDDEN', message);
/**
 * 409 INVALID_STATE. `hint` says in Chinese what stands in the way and what to do, for the console
 * to show instead of its general words (as validation details carry theirs).
 */
export const invalidState = (message: string, hint?: string) => new AppError('INVALID_STATE', message, hint ? [{ hint }] : []);
export const validationFailed = (message: string, details: unknown[] = []) =>
  new AppError('VALIDATION_FAILED', message, details);

export interface ErrorEnvelope {
  error: { code: string; message: string; details: unknown[] };
}

export function envelope(code: string, message: string, details: unknown[] = []): ErrorEnvelope {
  return { error: { code, message, details } };
}
