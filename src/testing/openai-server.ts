// A local OpenAI-compatible server for tests and the demo: chat completions on the real wire format (JSON and SSE
// streaming, usage, errors with Retry-After), scripted per request so a test can stage 429s, outages and bad output.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  [key: string]: unknown;
}

/** What the server does with one request. */
export type Behaviour =
  | { kind: 'reply'; content: string; promptTokens?: number; completionTokens?: number }
  | { kind: 'status'; status: number; message?: string; retryAfter?: number; type?: string; code?: string }
  /** Never answers: the client must time out. */
  | { kind: 'hang' }
  /** A 200 whose body is not JSON at all (a broken proxy). */
  | { kind: 'garbage' };

/** Decides what to do with a request; `n` counts requests from 1. */
export type Script = (req: ChatRequest, n: number) => Behaviour;

export interface OpenAiServerOptions {
  script: Script;
  /** Answer 400 to `response_format: json_schema` as servers without structured outputs do. */
  refuseJsonSchema?: boolean;
  /** Require this bearer token (401 otherwise). */
  apiKey?: string;
}

export interface OpenAiServer {
  readonly baseUrl: string;
  /** Every request received, in order (bodies as parsed JSON, headers lower-cased). */
  readonly requests: { body: ChatRequest; headers: Record<string, string | string[] | undefined> }[];
  setScript(script: Script): void;
  close(): Promise<void>;
}

export async function startOpenAiServer(options: OpenAiServerOptions, port = 0): Promise<OpenAiServer> {
  let script = options.script;
  const requests: OpenAiServer['requests'] = [];
  const hung = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, 500, `test server: ${(err as Error).message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = req.url ?? '/';
    if (req.method === 'GET' && url.endsWith('/models')) {
      return sendJson(res, 200, { object: 'list', data: [{ id: 'tandem-test', object: 'model', created: 0, owned_by: 'tandem' }] });
    }
    if (req.method !== 'POST' || !url.endsWith('/chat/completions')) return sendError(res, 404, `No route ${req.method} ${url}`, 'invalid_request_error');
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    let body: ChatRequest;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    requests.push({ body, headers: req.headers });
    if (options.refuseJsonSchema && body.response_format?.type === 'json_schema') {
      return sendError(res, 400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", 'invalid_request_error', null, 'response_format');
    }
    const b = script(body, requests.length);
    switch (b.kind) {
      case 'hang':
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('<html>502 Bad Gateway</html>');
        return;
      case 'status': {
        const headers: Record<string, string> = {};
        if (b.retryAfter !== undefined) headers['retry-after'] = String(b.retryAfter);
        return sendError(res, b.status, b.message ?? (b.status === 429 ? 'Rate limit reached for requests' : 'The server had an error while processing your request.'), b.type ?? (b.status === 429 ? 'requests' : 'server_error'), b.code ?? null, null, headers);
      }
      case 'reply':
        return body.stream ? streamReply(res, body, b) : sendJson(res, 200, completion(body, b));
    }
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${address.port}/v1`,
    requests,
    setScript(next) {
      script = next;
    },
    close() {
      for (const res of hung) res.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Rough token count, like the real thing: about four characters a token. */
export function countTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function usage(req: ChatRequest, b: Extract<Behaviour, { kind: 'reply' }>) {
  const prompt = b.promptTokens ?? countTokens(req.messages.map((m) => m.content).join('\n'));
  const completionTokens = b.completionTokens ?? countTokens(b.content);
  return { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
}

let seq = 0;
function completion(req: ChatRequest, b: Extract<Behaviour, { kind: 'reply' }>) {
  return {
    id: `chatcmpl-test-${++seq}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: req.model,
    choices: [{ index: 0, message: { role: 'assistant', content: b.content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: usage(req, b),
    system_fingerprint: 'fp_tandem_test',
  };
}

function streamReply(res: ServerResponse, req: ChatRequest, b: Extract<Behaviour, { kind: 'reply' }>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const id = `chatcmpl-test-${++seq}`;
  const created = Math.floor(Date.now() / 1000);
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: req.model, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra })}\n\n`;
  res.write(chunk({ role: 'assistant', content: '' }, null));
  // Split the content in small pieces, as a real model streams tokens (including mid-escape and mid-UTF-8 boundaries).
  for (let i = 0; i < b.content.length; i += 7) res.write(chunk({ content: b.content.slice(i, i + 7) }, null));
  res.write(chunk({}, 'stop'));
  if (req.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: req.model, choices: [], usage: usage(req, b) })}\n\n`);
  res.end('data: [DONE]\n\n');
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, message: string, type = 'server_error', code: string | null = null, param: string | null = null, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param, code } }, headers);
}
