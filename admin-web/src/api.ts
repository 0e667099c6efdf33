// The admin API client. The browser authenticates with the HttpOnly session cookie (never the static admin token);
// every request other than GET carries the CSRF header the gateway requires with that cookie.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
  /** The route is not on this server (an older or differently built gateway). */
  get unavailable(): boolean {
    return this.status === 404 || this.status === 405;
  }
}

type Listener = () => void;
const signedOutListeners = new Set<Listener>();

/** Called whenever the server says the session is gone (401), so the app can show the sign-in page. */
export function onSignedOut(listener: Listener): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Maestro-CSRF'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'The gateway cannot be reached: ' + String((e as Error).message ?? e));
  }
  const text = await res.text();
  let json: unknown = undefined;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }
  if (!res.ok) {
    const obj = (json ?? {}) as { detail?: string; field?: string; error?: unknown };
    const message = obj.detail ?? (typeof obj.error === 'string' ? obj.error : undefined) ?? `${res.status} ${res.statusText}`;
    if (res.status === 401 && path !== '/admin/session') {
      signedOutListeners.forEach((l) => l());
    }
    throw new ApiError(res.status, message, obj.field);
  }
  return json as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  del: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds a query string from the non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && String(v) !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

/** Lists come bare or wrapped ({"groups": [...]}); this finds the array. */
export function asList<T>(data: unknown, ...keys: string[]): T[] {
  if (Array.isArray(data)) return data as T[];
  if (data && typeof data === 'object') {
    const obj = data as Record<string, unknown>;
    for (const k of [...keys, 'items', 'data', 'results']) {
      if (Array.isArray(obj[k])) return obj[k] as T[];
    }
  }
  return [];
}

// Shapes of the routes the site uses (docs/api.md).
export interface Session {
  username: string;
  expires_at: string;
}
export interface User {
  id: number;
  username: string;
  is_active: boolean;
  created_at?: string;
  updated_at?: string;
}
export interface NewUser extends User {
  token: string;
}
export interface Node {
  id: number;
  name: string;
  code: string | null;
  node_type: string;
  base_url: string;
  priority: number;
  weight: number;
  is_active: boolean;
  has_api_key: boolean;
  header_names: string[];
  health_status: string;
  last_health_check?: string | null;
  last_error?: string | null;
  scoped_models?: boolean;
}
export interface Mapping {
  display_name: string;
  real_name: string;
  node_id?: number | null;
  node_ids?: number[] | null;
  node_name?: string | null;
  context_length?: number | null;
  context_length_display?: string | null;
  capabilities?: string[] | null;
}
export interface LogRow {
  id: number;
  request_id: string;
  username: string | null;
  model_name: string;
  node_name: string | null;
  request_type: string;
  source: string | null;
  url_path: string | null;
  status_code: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  duration_ms: number;
  ttft_ms: number | null;
  streamed: boolean;
  attempts: number;
  error_message: string | null;
  created_at: string;
}
export interface LogPage {
  requests: LogRow[];
  total: number;
  limit: number;
  offset: number;
}
export interface UsageRow {
  key: string;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}
