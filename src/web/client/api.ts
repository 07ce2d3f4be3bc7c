// The console's only way to the service: the public HTTP API under /api/v1, in the signed-in
// person's session. The session is a cookie the browser keeps and no script can read (HttpOnly,
// SameSite=Strict); every request that changes something also sends the session's CSRF token,
// which the console keeps in memory only and learns again from GET /auth/session on a new page.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown[] = [],
    readonly requestId: string | null = null,
  ) {
    super(message);
  }
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

let signedOutListener: ((reason: string | null) => void) | null = null;

/**
 * The console's part of the session: the CSRF token and when the service last heard from this tab
 * (the idle timeout's clock). Signing out in one tab signs every tab of this origin out
 * (BroadcastChannel); a new tab shares the cookie and asks the service for its session.
 */
type SessionMessage = { type: 'signed-out' };
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('rehab-console-session');
channel?.addEventListener('message', (event: MessageEvent<SessionMessage>) => {
  if (event.data.type === 'signed-out' && session.csrf) {
    session.csrf = null;
    signedOutListener?.('SIGNED_OUT_ELSEWHERE');
  }
});

export const session = {
  csrf: null as string | null,
  /** When this tab's last request reached the service (Date.now()). */
  lastRequestAt: Date.now(),
  signIn(csrfToken: string) {
    session.csrf = csrfToken;
    session.lastRequestAt = Date.now();
  },
  /** Forgets the session here and tells the other tabs. */
  signOut() {
    session.csrf = null;
    channel?.postMessage({ type: 'signed-out' } satisfies SessionMessage);
  },
  /** Called when the service no longer knows the session (401), with its reason (SESSION_IDLE…). */
  onSignedOut(listener: (reason: string | null) => void) {
    signedOutListener = listener;
  },
};

/** Requests that may answer 401 without meaning the session ended (signing in, a wrong code). */
const SIGN_IN_PATHS = ['/auth/sign-in', '/auth/activate'];

function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

async function send(method: string, path: string, options: { query?: Query; json?: unknown; file?: File; bearer?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  // Only the one-time set-up page sends a token (the bootstrap admin's, an upgraded admin's own).
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  else if (session.csrf && method !== 'GET') headers['x-csrf-token'] = session.csrf;
  let body: BodyInit | undefined;
  if (options.file) {
    headers['content-type'] = uploadType(options.file);
    body = options.file;
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  // The service's idle time starts again when a request arrives: so does the console's.
  const sentAt = Date.now();
  try {
    response = await fetch(urlOf(path, options.query), { method, headers, body, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'NETWORK', 'the service could not be reached');
  }
  if (!options.bearer && response.status !== 401) session.lastRequestAt = Math.max(session.lastRequestAt, sentAt);
  if (response.ok) return response;
  let envelope: { error?: { code?: string; message?: string; details?: unknown[] } } = {};
  try {
    envelope = await response.json();
  } catch {
    // Not an envelope (a proxy's error page, say): the status alone must do.
  }
  const error = new ApiError(
    response.status,
    envelope.error?.code ?? (response.status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED'),
    envelope.error?.message ?? response.statusText,
    envelope.error?.details ?? [],
    response.headers.get('x-request-id'),
  );
  const reason = (error.details[0] as { reason?: string } | undefined)?.reason ?? null;
  if (response.status === 401 && error.code === 'UNAUTHENTICATED' && !options.bearer && !SIGN_IN_PATHS.includes(path) && signedOutListener) signedOutListener(reason);
  throw error;
}

/** The content type the API expects for a spreadsheet: from the file's name when the browser gives none. */
export function uploadType(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  if (name.endsWith('.csv')) return 'text/csv';
  return file.type || 'application/octet-stream';
}

export const api = {
  async get<T>(path: string, query?: Query): Promise<T> {
    return (await send('GET', path, { query })).json();
  },
  async post<T>(path: string, json?: unknown, query?: Query): Promise<T> {
    return (await send('POST', path, { json: json ?? {}, query })).json();
  },
  async put<T>(path: string, json: unknown): Promise<T> {
    return (await send('PUT', path, { json })).json();
  },
  async patch<T>(path: string, json: unknown): Promise<T> {
    return (await send('PATCH', path, { json })).json();
  },
  async delete<T>(path: string, json?: unknown): Promise<T> {
    return (await send('DELETE', path, json === undefined ? {} : { json })).json();
  },
  /** A call with a bearer token typed into the one-time set-up page (never kept). */
  async withToken<T>(token: string, method: 'GET' | 'POST' | 'PUT', path: string, json?: unknown): Promise<T> {
    return (await send(method, path, { bearer: token, ...(json === undefined ? {} : { json }) })).json();
  },
  async upload<T>(path: string, file: File, query?: Query): Promise<T> {
    return (await send('POST', path, { file, query })).json();
  },
  /** Every page of a list, for short lists such as the institutions of a region. */
  async all<T>(path: string, query: Query = {}): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 500, cursor });
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  },
  /** A file the service makes from what the page sends (the refused rows of an upload as XLSX). */
  async postForFile(path: string, json: unknown): Promise<Blob> {
    return (await send('POST', path, { json })).blob();
  },
  /** A file of the API as bytes, to show in the page (an evidence scan opened in a new tab). */
  async blob(path: string): Promise<Blob> {
    return (await send('GET', path)).blob();
  },
  /** Fetches a file (PDF, spreadsheet) in the session and hands it to the browser as a download. */
  async download(path: string, fallbackName: string): Promise<string> {
    const response = await send('GET', path);
    const blob = await response.blob();
    const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
    saveBlob(blob, name);
    return name;
  },
};

/** Hands bytes made or fetched by the page to the browser as a download under `name`. */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null;
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (encoded) return decodeURIComponent(encoded[1]!);
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
}
