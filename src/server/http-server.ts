// The headless host: the contract over HTTP (POST /api/<command>) and server-sent events (GET /api/events), plus the built UI.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../app/create-app.ts';
import { serveStatic } from './static-files.ts';
import { handleExport } from './export-route.ts';

export interface HttpHostOptions {
  port?: number;
  host?: string;
  staticDir: string;
}

export interface HttpHost {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const MAX_BODY = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export async function startHttpHost(app: App, options: HttpHostOptions): Promise<HttpHost> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    // Only this machine's own pages may talk to the API: refuse other Host names (DNS rebinding) and foreign origins.
    if (!hostAllowed(req.headers.host, port)) {
      res.writeHead(421, { 'content-type': 'text/plain' }).end('Tandem answers only on 127.0.0.1 and localhost.');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(req, res);
    if (url.pathname === '/api/export' && req.method === 'GET') return void handleExport(app, req, res, url);
    if (url.pathname.startsWith('/api/')) return void handleCommand(req, res, url.pathname.slice('/api/'.length), port);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveStatic(options.staticDir, url.pathname, res);
  });

  const unsubscribe = app.events.onAny((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`;
    for (const s of streams) s.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const s of streams) s.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write(': connected\n\n');
    streams.add(res);
    req.on('close', () => streams.delete(res));
  }

  async function handleCommand(req: IncomingMessage, res: ServerResponse, name: string, ownPort: number): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'Commands are sent with POST.' } });
    const origin = req.headers.origin;
    if (origin && origin !== `http://127.0.0.1:${ownPort}` && origin !== `http://localhost:${ownPort}`) {
      return sendJson(res, 403, { ok: false, error: { code: 'bad_input', message: `Requests from ${origin} are not allowed.` } });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
      return sendJson(res, 415, { ok: false, error: { code: 'bad_input', message: 'Send commands as application/json.' } });
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch (err) {
      return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: (err as Error).message } });
    }
    const result = await app.invoke(decodeURIComponent(name), body);
    sendJson(res, result.ok || result.error.code !== 'unknown_command' ? 200 : 404, result);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        unsubscribe();
        for (const s of streams) s.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function hostAllowed(hostHeader: string | undefined, port: number): boolean {
  return hostHeader === `127.0.0.1:${port}` || hostHeader === `localhost:${port}`;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Error('The request body is larger than 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('The request body is not valid JSON.');
  }
}
