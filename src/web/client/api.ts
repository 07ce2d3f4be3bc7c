// The console's only way to the service: the public HTTP API under /api/v1, with the signed-in
// user's bearer token. The token lives in sessionStorage: it is gone when the tab closes.

const TOKEN_KEY = 'rehab-settlement.token';

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

let signedOutListener: (() => void) | null = null;

/**
 * The token lives in each tab's sessionStorage: closing the last tab ends the session. A tab
 * opened from a signed-in one (Ctrl-click, a link in a new tab) starts with an empty storage, so it
 * asks the console's other tabs of this origin for the token over a BroadcastChannel; signing out
 * in one tab signs every tab out.
 */
type SessionMessage = { type: 'ask' } | { type: 'token'; token: string } | { type: 'signed-out' };
const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel('rehab-console-session');
const BORROW_WAIT_MS = 400;
channel?.addEventListener('message', (event: MessageEvent<SessionMessage>) => {
  const message = event.data;
  if (message.type === 'ask') {
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) channel.postMessage({ type: 'token', token } satisfies SessionMessage);
  } else if (message.type === 'signed-out' && sessionStorage.getItem(TOKEN_KEY)) {
    sessionStorage.removeItem(TOKEN_KEY);
    signedOutListener?.();
  }
});

export const session = {
  token: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  signIn(token: string) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
    channel?.postMessage({ type: 'signed-out' } satisfies SessionMessage);
  },
  /** Forgets a token this tab could not sign in with, leaving the other tabs as they are. */
  forget() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
  /** This tab's token, or one an open tab of the console gives it; null when no tab is signed in. */
  async borrow(): Promise<string | null> {
    const own = sessionStorage.getItem(TOKEN_KEY);
    if (own || !channel) return own;
    return new Promise((resolve) => {
      const onMessage = (event: MessageEvent<SessionMessage>) => {
        if (event.data.type !== 'token') return;
        finish(event.data.token);
      };
      const finish = (token: string | null) => {
        channel.removeEventListener('message', onMessage);
        clearTimeout(timer);
        if (token) sessionStorage.setItem(TOKEN_KEY, token);
        resolve(token);
      };
      const timer = setTimeout(() => finish(null), BORROW_WAIT_MS);
      channel.addEventListener('message', onMessage);
      channel.postMessage({ type: 'ask' } satisfies SessionMessage);
    });
  },
  /** Called when the service no longer knows the token (401): the console returns to sign-in. */
  onSignedOut(listener: () => void) {
    signedOutListener = listener;
  },
};

function urlOf(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api/v1${path}${search ? `?${search}` : ''}`;
}

async function send(method: string, path: string, options: { query?: Query; json?: unknown; file?: File } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = session.token();
  if (token) headers.authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.file) {
    headers['content-type'] = uploadType(options.file);
    body = options.file;
  } else if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), { method, headers, body });
  } catch {
    throw new ApiError(0, 'NETWORK', 'the service could not be reached');
  }
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
  if (response.status === 401 && signedOutListener) signedOutListener();
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
  /** Fetches a file (PDF, spreadsheet) with the token and hands it to the browser as a download. */
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
