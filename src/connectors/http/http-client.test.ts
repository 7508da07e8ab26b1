import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TandemError } from '../../domain/errors.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { httpRequest, retryAfterMs, secretKey, type HttpConnector } from './http-client.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

describe('httpRequest', () => {
  let server: Server;
  let base: string;
  let handler: Handler;
  let hits: { method: string; url: string; auth: string | undefined; idem: string | undefined }[];
  const vault = createMemoryStore(null);
  const waits: number[] = [];
  const deps = { vault, sleep: async (ms: number) => void waits.push(ms) };
  const conn = (extra: Partial<HttpConnector> = {}): HttpConnector => ({ id: 'orders', title: 'Orders', baseUrl: base, auth: { type: 'bearer', secret: 'token' }, ...extra });

  beforeEach(async () => {
    hits = [];
    waits.length = 0;
    await vault.set(secretKey('orders', 'token'), 's3cret-token');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        hits.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, idem: req.headers['idempotency-key'] as string | undefined });
        handler(req, res, body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(value));
  };
  const error = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as TandemError;
    }
    throw new Error('expected an error');
  };

  it('sends the bearer token from the vault, the query and the JSON body', async () => {
    handler = (_req, res, body) => json(res, 200, { echo: JSON.parse(body || 'null') });
    const r = await httpRequest<{ echo: unknown }>(conn(), { method: 'POST', path: '/orders/1/address', query: { dry: 1 }, body: { line1: 'x' }, idempotencyKey: 'k1' }, deps);
    expect(r.body.echo).toEqual({ line1: 'x' });
    expect(hits[0]).toEqual({ method: 'POST', url: '/api/orders/1/address?dry=1', auth: 'Bearer s3cret-token', idem: 'k1' });
  });

  it('speaks Zendesk token auth', async () => {
    handler = (_req, res) => json(res, 200, {});
    await vault.set(secretKey('helpdesk', 'api_token'), 'zd-tok');
    await httpRequest(conn({ id: 'helpdesk', auth: { type: 'zendesk_token', email: 'agent@x.org', secret: 'api_token' } }), { method: 'GET', path: 'tickets.json' }, deps);
    expect(Buffer.from(hits[0]!.auth!.replace('Basic ', ''), 'base64').toString()).toBe('agent@x.org/token:zd-tok');
  });

  it('honours Retry-After on a 429 and then succeeds', async () => {
    let n = 0;
    handler = (_req, res) => (n++ === 0 ? json(res, 429, { error: 'slow down' }, { 'retry-after': '2' }) : json(res, 200, { ok: 1 }));
    const r = await httpRequest(conn(), { method: 'GET', path: 'orders/1' }, deps);
    expect(r.attempts).toBe(2);
    expect(waits).toEqual([2000]);
  });

  it('gives a 429 back when the wait is longer than it may wait alone', async () => {
    handler = (_req, res) => json(res, 429, {}, { 'retry-after': '600' });
    const err = await error(httpRequest(conn(), { method: 'GET', path: 'orders/1' }, deps));
    expect(err.code).toBe('rate_limited');
    expect(err.message).toMatch(/wait 600 s/);
  });

  it('retries a failing read but never a write without an idempotency key', async () => {
    handler = (_req, res) => json(res, 503, { error: { message: 'maintenance' } });
    const read = await error(httpRequest(conn(), { method: 'GET', path: 'orders/1' }, deps));
    expect(read.code).toBe('connector_unavailable');
    expect(hits).toHaveLength(3);
    hits.length = 0;
    const write = await error(httpRequest(conn(), { method: 'POST', path: 'refunds', body: {} }, deps));
    expect(hits).toHaveLength(1);
    expect(write.hint).toMatch(/may or may not have happened/);
  });

  it('maps statuses to messages that name the system, the thing and the fix, never the secret', async () => {
    const cases: [number, string, RegExp][] = [
      [401, 'connector_auth', /Orders rejected the credentials.*/],
      [403, 'connector_forbidden', /refused GET/],
      [404, 'not_found', /Orders has no order 999999: no such order/],
      [409, 'connector_conflict', /conflicts/],
      [400, 'connector_rejected', /\(400\)/],
    ];
    for (const [status, code, message] of cases) {
      handler = (_req, res) => json(res, status, { error: { code: 'x', message: 'no such order' } });
      const err = await error(httpRequest(conn(), { method: 'GET', path: 'orders/999999', describe: 'order 999999' }, { ...deps }));
      expect([err.code, err.message]).toEqual([code, expect.stringMatching(message)]);
      expect(JSON.stringify({ m: err.message, h: err.hint })).not.toContain('s3cret-token');
    }
    handler = (_req, res) => json(res, 401, {});
    expect((await error(httpRequest(conn(), { method: 'GET', path: 'x' }, deps))).hint).toBe('Update them in Settings → Connections → Orders.');
  });

  it('says which credential is missing before calling at all', async () => {
    handler = (_req, res) => json(res, 200, {});
    const err = await error(httpRequest(conn({ auth: { type: 'bearer', secret: 'other' } }), { method: 'GET', path: 'x' }, deps));
    expect(err.code).toBe('credentials_missing');
    expect(hits).toHaveLength(0);
  });

  it('times out a silent system', async () => {
    handler = () => undefined; // never answers
    const err = await error(httpRequest(conn({ timeoutMs: 100, maxAttempts: 1 }), { method: 'GET', path: 'slow' }, deps));
    expect(err.code).toBe('connector_timeout');
  });

  it('parses Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs(null)).toBe(1000);
  });
});

describe('OAuth 2 client credentials and pacing', () => {
  let server: Server;
  let base: string;
  let issued = 0;
  let revoked = new Set<string>();
  const calls: string[] = [];
  const vault = createMemoryStore(null);

  beforeEach(async () => {
    issued = 0;
    revoked = new Set();
    calls.length = 0;
    await vault.set(secretKey('crm_api', 'client_secret'), 'cs-123');
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        calls.push(`${req.method} ${req.url}`);
        if (req.url === '/oauth/token') {
          const [id, secret] = Buffer.from((req.headers.authorization ?? '').replace('Basic ', ''), 'base64').toString().split(':');
          const ok = id === 'tandem' && secret === 'cs-123' && body.includes('grant_type=client_credentials');
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
          res.end(JSON.stringify(ok ? { access_token: `tok-${++issued}`, token_type: 'bearer', expires_in: 3600 } : { error: 'invalid_client', error_description: 'Client authentication failed' }));
          return;
        }
        const token = (req.headers.authorization ?? '').replace('Bearer ', '');
        const valid = token.startsWith('tok-') && !revoked.has(token);
        res.writeHead(valid ? 200 : 401, { 'content-type': 'application/json' });
        res.end(JSON.stringify(valid ? { token } : { error: 'invalid_token' }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const conn = (id = 'crm_api'): HttpConnector => ({ id, title: 'CRM API', baseUrl: `${base}/api`, auth: { type: 'oauth2_client_credentials', token_url: `${base}/oauth/token`, client_id: 'tandem', secret: 'client_secret' } });

  it('fetches a token once, reuses it, and fetches a new one when the server stops accepting it', async () => {
    const a = await httpRequest<{ token: string }>(conn(), { method: 'GET', path: 'me' }, { vault });
    const b = await httpRequest<{ token: string }>(conn(), { method: 'GET', path: 'me' }, { vault });
    expect([a.body.token, b.body.token]).toEqual(['tok-1', 'tok-1']);
    revoked.add('tok-1');
    const c = await httpRequest<{ token: string }>(conn(), { method: 'GET', path: 'me' }, { vault });
    expect(c.body.token).toBe('tok-2');
    expect(calls.filter((x) => x.includes('/oauth/token'))).toHaveLength(2);
  });

  it('says the client secret was refused, naming where to fix it', async () => {
    await vault.set(secretKey('crm_bad', 'client_secret'), 'wrong');
    const err = await httpRequest(conn('crm_bad'), { method: 'GET', path: 'me' }, { vault }).catch((e: unknown) => e as TandemError);
    expect(err).toMatchObject({ code: 'connector_auth', message: 'CRM API refused the client credentials: Client authentication failed.', hint: 'Update the client secret in Settings → Connections → CRM API.' });
  });

  it('paces calls under the connector’s own limit instead of collecting 429s', async () => {
    const waits: number[] = [];
    const paced: HttpConnector = { ...conn('paced'), rateLimit: { requests: 2, perMs: 60_000 } };
    await vault.set(secretKey('paced', 'client_secret'), 'cs-123');
    let clock = 0;
    const sleep = async (ms: number) => {
      waits.push(ms);
      clock += ms;
    };
    const realNow = Date.now;
    Date.now = () => realNow() + clock;
    try {
      for (let i = 0; i < 3; i++) await httpRequest(paced, { method: 'GET', path: 'me' }, { vault, sleep });
    } finally {
      Date.now = realNow;
    }
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(59_000);
  });
});
