import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app/create-app.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { startHttpHost, type HttpHost } from './http-server.ts';

describe('headless HTTP host', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let ui: ReturnType<typeof tempDir>;
  let app: App;
  let host: HttpHost;

  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    ui = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
    writeFiles(ui.path, { 'index.html': '<!doctype html><title>Tandem UI</title>', 'assets/app.js': 'console.log(1)' });
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann' });
    host = await startHttpHost(app, { staticDir: ui.path });
  });
  afterEach(async () => {
    await host.close();
    await app.settle();
    app.close();
    for (const d of [data, ws, ui]) d.cleanup();
  });

  const post = (name: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${host.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('answers commands with Result values', async () => {
    const res = await post('tickets.list', {});
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: unknown[] };
    expect(body.ok).toBe(true);
    expect(body.value).toHaveLength(2);
    expect(await (await post('tickets.get', { id: 'x' })).json()).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await post('nope', {})).status).toBe(404);
  });

  it('refuses malformed JSON, non-JSON bodies, foreign origins and other Host names', async () => {
    expect((await post('tickets.list', '{oops')).status).toBe(400);
    expect((await fetch(`${host.url}/api/tickets.list`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await post('tickets.list', {}, { origin: 'http://evil.example' })).status).toBe(403);
    const status = await new Promise<number>((resolve, reject) => {
      const u = new URL(host.url);
      const req = request({ host: u.hostname, port: u.port, path: '/api/tickets.list', method: 'POST', headers: { host: 'attacker.example', 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(421);
  });

  it('pushes events to every open event stream', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.url}/api/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    const ticket = (await (await post('tickets.get', { id: 'files:A-1' })).json()) as { value: { triage: { id: string; intent: string } } };
    await post('triage.decide', { decisionId: randomUUID(), ticketId: 'files:A-1', triageId: ticket.value.triage.id, verdict: 'accepted', finalIntent: ticket.value.triage.intent });
    let received = '';
    while (!received.includes('event: ticket.changed')) {
      const { value, done } = await reader.read();
      if (done) break;
      received += new TextDecoder().decode(value);
    }
    controller.abort();
    expect(received).toContain('event: decision.recorded');
    expect(received).toMatch(/event: ticket\.changed\ndata: \{"ticketId":"files:A-1","state":"in_progress"\}/);
  });

  it('serves the built UI, with index.html for app routes and never a file outside it', async () => {
    expect(await (await fetch(`${host.url}/`)).text()).toContain('Tandem UI');
    expect(await (await fetch(`${host.url}/assets/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${host.url}/tickets/whatever`)).text()).toContain('Tandem UI');
    expect(await (await fetch(`${host.url}/..%2f..%2f${encodeURIComponent(join(data.path, 'tandem.db'))}`)).text()).toContain('Tandem UI');
  });
});
