// A small HTTP toolkit for the sandbox's systems: routing, bodies, cookies, HTML and the audit every system keeps.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AuditEntry {
  seq: number;
  at: string;
  system: string;
  action: string;
  target: string;
  actor: string;
  detail: Record<string, unknown>;
}

export class Audit {
  readonly entries: AuditEntry[] = [];
  readonly system: string;
  constructor(system: string) {
    this.system = system;
  }
  record(action: string, target: string, actor: string, detail: Record<string, unknown> = {}): void {
    this.entries.push({ seq: this.entries.length + 1, at: new Date().toISOString(), system: this.system, action, target, actor, detail });
  }
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
  rawBody: string;
  cookies: Record<string, string>;
}

export type Reply =
  | { status: number; json: unknown; headers?: Record<string, string> }
  | { status: number; html: string; headers?: Record<string, string> }
  | { status: number; redirect: string; headers?: Record<string, string> };

export type Handler = (req: Request) => Reply | Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export class Router {
  readonly #routes: Route[] = [];
  on(method: string, path: string, handler: Handler): this {
    const names: string[] = [];
    const pattern = new RegExp(`^${path.replace(/:([a-z_]+)/g, (_m, n: string) => (names.push(n), '([^/]+)'))}$`);
    this.#routes.push({ method, pattern, names, handler });
    return this;
  }
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
    for (const r of this.#routes) {
      if (r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) return { handler: r.handler, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)])) };
    }
    return null;
  }
}

export const json = (status: number, value: unknown, headers?: Record<string, string>): Reply => (headers ? { status, json: value, headers } : { status, json: value });
export const html = (status: number, body: string, headers?: Record<string, string>): Reply => (headers ? { status, html: body, headers } : { status, html: body });
export const redirect = (to: string, headers?: Record<string, string>): Reply => (headers ? { status: 303, redirect: to, headers } : { status: 303, redirect: to });

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

function parseBody(raw: string, type: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if ((type ?? '').includes('application/json')) {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  }
  // Form bodies, Stripe-style nested keys included: metadata[order_id]=1 -> {metadata: {order_id: '1'}}.
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    const m = /^([^[]+)\[([^\]]+)\]$/.exec(k);
    if (m) out[m[1]!] = { ...((out[m[1]!] as object) ?? {}), [m[2]!]: v };
    else out[k] = v;
  }
  return out;
}

/** Starts one system on 127.0.0.1 (port 0: a free one) with its routes, `GET /_audit` and `GET /_health`. */
export async function serve(router: Router, audit: Audit, host = '127.0.0.1'): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let reply: Reply;
    try {
      if (req.method === 'GET' && url.pathname === '/_audit') reply = json(200, { entries: audit.entries });
      else if (req.method === 'GET' && url.pathname === '/_health') reply = json(200, { ok: true, system: audit.system });
      else {
        const hit = router.match(req.method ?? 'GET', url.pathname);
        if (!hit && req.method === 'GET' && url.pathname === '/') {
          // An API system opened in a browser: say what it is and where to look, rather than a bare 404.
          reply = html(200, `<!doctype html><meta charset="utf-8"><title>${escapeHtml(audit.system)} · Tandem demo</title><body style="font-family:system-ui;margin:2em"><h1>Demo ${escapeHtml(audit.system)} (API)</h1><p>One of the demo retailer's systems, running on this machine for Tandem's demo. It answers JSON; see resources/sandbox/README.md for its endpoints and demo credentials.</p><p><a href="/_audit">Changes it received (/_audit)</a> · <a href="/_health">/_health</a></p></body>`);
        } else if (!hit) reply = json(404, { error: { code: 'not_found', message: `No route ${req.method} ${url.pathname}` } });
        else {
          let body: Record<string, unknown>;
          try {
            body = parseBody(rawBody, req.headers['content-type']);
          } catch {
            reply = json(400, { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
            return send(res, reply);
          }
          reply = await hit.handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, params: hit.params, headers: req.headers, body, rawBody, cookies: parseCookies(req.headers.cookie) });
        }
      }
    } catch (err) {
      reply = json(500, { error: { code: 'internal', message: (err as Error).message } });
    }
    send(res, reply);
  }
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...reply.headers };
  if ('json' in reply) {
    res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(reply.json));
  } else if ('html' in reply) {
    res.writeHead(reply.status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(reply.html);
  } else {
    res.writeHead(reply.status, { location: reply.redirect, ...headers });
    res.end();
  }
}

export async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Bearer token check shared by the API systems. */
export function bearer(req: Request): string | null {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7) : null;
}

export function basic(req: Request): { user: string; pass: string } | null {
  const h = req.headers.authorization ?? '';
  if (!h.startsWith('Basic ')) return null;
  const text = Buffer.from(h.slice(6), 'base64').toString('utf8');
  const i = text.indexOf(':');
  return i < 0 ? { user: text, pass: '' } : { user: text.slice(0, i), pass: text.slice(i + 1) };
}
