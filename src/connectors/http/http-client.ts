// Declarative API connectors: auth from the vault at the last moment, timeouts, 429/Retry-After, safe retries, errors a person can act on.
import { TandemError } from '../../domain/errors.ts';
import type { SecretStore } from '../../vault/secret-store.ts';

export type HttpAuth =
  | { type: 'none' }
  | { type: 'bearer'; secret: string }
  | { type: 'basic'; username: string; secret: string }
  | { type: 'header'; name: string; secret: string }
  /** Zendesk's API tokens: Basic "{email}/token:{token}". */
  | { type: 'zendesk_token'; email: string; secret: string }
  /** OAuth 2 client credentials: the client secret is in the vault; tokens are cached until they expire. */
  | { type: 'oauth2_client_credentials'; token_url: string; client_id: string; secret: string; scope?: string | undefined };

export interface HttpConnector {
  id: string;
  title: string;
  baseUrl: string;
  auth: HttpAuth;
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Attempts for safe requests (reads, or writes with an idempotency key). */
  maxAttempts?: number;
  /** The longest Retry-After Tandem waits on its own before giving the 429 back to the person. */
  maxRetryAfterMs?: number;
  /** Tandem's own pace for this system: at most `requests` calls per `perMs`, waiting rather than being refused. */
  rateLimit?: { requests: number; perMs: number } | undefined;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** What was looked up, for a 404 message ("order 104233"). */
  describe?: string;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  attempts: number;
}

export interface HttpDeps {
  vault: SecretStore;
  fetch?: typeof fetch;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason as Error);
    }, { once: true });
  });

export function secretKey(connectorId: string, field: string): string {
  return `connector.${connectorId}.${field}`;
}

export async function httpRequest<T = unknown>(connector: HttpConnector, req: HttpRequest, deps: HttpDeps): Promise<HttpResponse<T>> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? sleepFor;
  const safe = req.method === 'GET' || req.idempotencyKey !== undefined;
  const maxAttempts = safe ? (connector.maxAttempts ?? 3) : 1;
  const url = buildUrl(connector.baseUrl, req.path, req.query);
  const headers = new Headers({ accept: 'application/json', ...connector.headers, ...req.headers });
  await applyAuth(connector, headers, deps.vault, doFetch);
  let refreshedToken = false;
  if (req.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
  if (req.idempotencyKey) headers.set('idempotency-key', req.idempotencyKey);
  const body = req.body === undefined ? undefined : headers.get('content-type')?.includes('json') ? JSON.stringify(req.body) : String(req.body);

  for (let attempt = 1; ; attempt++) {
    if (connector.rateLimit) await pace(connector.id, connector.rateLimit, sleep, req.signal);
    const timeout = AbortSignal.timeout(connector.timeoutMs ?? 15_000);
    const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await doFetch(url, { method: req.method, headers, body: body ?? null, signal, redirect: 'manual' });
    } catch (err) {
      if (req.signal?.aborted) throw new TandemError('cancelled', `The call to ${connector.title} was cancelled.`, { cause: err });
      const timedOut = timeout.aborted;
      if (safe && attempt < maxAttempts) {
        await sleep(backoff(attempt), req.signal);
        continue;
      }
      throw timedOut
        ? new TandemError('connector_timeout', `${connector.title} did not answer within ${Math.round((connector.timeoutMs ?? 15_000) / 1000)} s (${req.method} ${req.path}).`, {
            hint: safe ? 'Try again in a moment.' : 'It may or may not have happened: check in the system before trying again.',
            cause: err,
          })
        : new TandemError('connector_unreachable', `${connector.title} cannot be reached at ${connector.baseUrl}.`, { hint: 'Check the address in the connector and that the system is up.', cause: err });
    }
    const parsed = await readBody(res);
    if (res.ok) return { status: res.status, headers: res.headers, body: parsed as T, attempts: attempt };
    if (res.status === 401 && connector.auth.type === 'oauth2_client_credentials' && !refreshedToken) {
      // A cached token the server no longer accepts (revoked, clock skew): fetch a new one once and send again.
      refreshedToken = true;
      tokens.delete(connector.id);
      await applyAuth(connector, headers, deps.vault, doFetch);
      attempt--;
      continue;
    }

    if (res.status === 429) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      if (safe && attempt < maxAttempts && wait <= (connector.maxRetryAfterMs ?? 30_000)) {
        await sleep(wait, req.signal);
        continue;
      }
      throw new TandemError('rate_limited', `${connector.title} is rate-limiting Tandem (429); it asks to wait ${Math.ceil(wait / 1000)} s.`, {
        hint: 'Wait and try again; Tandem slows its queue down by itself.',
      });
    }
    if (res.status >= 500 && safe && attempt < maxAttempts) {
      await sleep(backoff(attempt), req.signal);
      continue;
    }
    throw statusError(connector, req, res.status, parsed);
  }
}

function statusError(connector: HttpConnector, req: HttpRequest, status: number, body: unknown): TandemError {
  const detail = errorDetail(body);
  const suffix = detail ? `: ${detail}` : '';
  switch (status) {
    case 401:
      return new TandemError('connector_auth', `${connector.title} rejected the credentials${suffix}.`, { hint: `Update them in Settings → Connections → ${connector.title}.` });
    case 403:
      return new TandemError('connector_forbidden', `${connector.title} refused ${req.method} ${req.path}: your account may not do this${suffix}.`, { hint: 'Ask an admin of that system for the permission, or do the step by hand.' });
    case 404:
      return new TandemError('not_found', `${connector.title} has no ${req.describe ?? req.path}${suffix}.`, { hint: 'Check the value the step used (edit it before accepting).' });
    case 409:
      return new TandemError('connector_conflict', `${connector.title} refused the change because it conflicts with the current state${suffix}.`, { hint: 'Reload the facts from the system and decide again.' });
    default:
      if (status >= 500) {
        return new TandemError('connector_unavailable', `${connector.title} failed with ${status}${suffix}.`, {
          hint: req.method === 'GET' || req.idempotencyKey ? 'Tandem retried; try again later.' : 'It may or may not have happened: check in the system before trying again.',
        });
      }
      return new TandemError('connector_rejected', `${connector.title} rejected ${req.method} ${req.path} (${status})${suffix}.`, { hint: 'Edit the step’s inputs and try again.' });
  }
}

/** The human part of an API's error body, whatever its shape (Stripe, Zendesk, ours). */
function errorDetail(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  const err = b.error;
  if (err && typeof err === 'object' && typeof (err as Record<string, unknown>).message === 'string') return (err as { message: string }).message;
  if (typeof err === 'string') return typeof b.description === 'string' ? `${err} — ${b.description}` : err;
  if (typeof b.message === 'string') return b.message;
  return undefined;
}

const tokens = new Map<string, { token: string; expiresAt: number }>();
const paces = new Map<string, number[]>();

/** Client-side pacing: waits until a call fits in the window instead of hammering the system into 429s. */
async function pace(id: string, limit: { requests: number; perMs: number }, sleep: NonNullable<HttpDeps['sleep']>, signal?: AbortSignal): Promise<void> {
  const sent = paces.get(id) ?? [];
  paces.set(id, sent);
  for (;;) {
    const now = Date.now();
    while (sent.length > 0 && sent[0]! <= now - limit.perMs) sent.shift();
    if (sent.length < limit.requests) {
      sent.push(now);
      return;
    }
    await sleep(sent[0]! + limit.perMs - now + 1, signal);
  }
}

async function oauthToken(connector: HttpConnector, auth: Extract<HttpAuth, { type: 'oauth2_client_credentials' }>, secret: string, doFetch: typeof fetch): Promise<string> {
  const cached = tokens.get(connector.id);
  if (cached && cached.expiresAt > Date.now() + 30_000) return cached.token;
  const body = new URLSearchParams({ grant_type: 'client_credentials', ...(auth.scope ? { scope: auth.scope } : {}) });
  let res: Response;
  try {
    res = await doFetch(auth.token_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.client_id)}:${encodeURIComponent(secret)}`).toString('base64')}` },
      body,
      signal: AbortSignal.timeout(connector.timeoutMs ?? 15_000),
    });
  } catch (err) {
    throw new TandemError('connector_unreachable', `${connector.title}'s sign-in service cannot be reached at ${new URL(auth.token_url).origin}.`, { hint: 'Check the token_url of the connector.', cause: err });
  }
  const json = (await res.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string; error_description?: string };
  if (!res.ok || !json.access_token) {
    throw new TandemError('connector_auth', `${connector.title} refused the client credentials${json.error ? `: ${json.error_description ?? json.error}` : ` (${res.status})`}.`, {
      hint: `Update the client secret in Settings → Connections → ${connector.title}.`,
    });
  }
  tokens.set(connector.id, { token: json.access_token, expiresAt: Date.now() + (json.expires_in ?? 3600) * 1000 });
  return json.access_token;
}

async function applyAuth(connector: HttpConnector, headers: Headers, vault: SecretStore, doFetch: typeof fetch): Promise<void> {
  const auth = connector.auth;
  if (auth.type === 'none') return;
  const secret = await vault.get(secretKey(connector.id, auth.secret));
  if (secret === undefined) {
    throw new TandemError('credentials_missing', `No ${auth.secret} is set for ${connector.title}.`, { hint: `Set it in Settings → Connections → ${connector.title}.` });
  }
  switch (auth.type) {
    case 'bearer':
      headers.set('authorization', `Bearer ${secret}`);
      break;
    case 'basic':
      headers.set('authorization', `Basic ${Buffer.from(`${auth.username}:${secret}`).toString('base64')}`);
      break;
    case 'zendesk_token':
      headers.set('authorization', `Basic ${Buffer.from(`${auth.email}/token:${secret}`).toString('base64')}`);
      break;
    case 'header':
      headers.set(auth.name, secret);
      break;
    case 'oauth2_client_credentials':
      headers.set('authorization', `Bearer ${await oauthToken(connector, auth, secret, doFetch)}`);
      break;
  }
}

function buildUrl(base: string, path: string, query?: HttpRequest['query']): URL {
  const url = new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}

function backoff(attempt: number): number {
  return Math.min(8000, 250 * 2 ** (attempt - 1));
}
