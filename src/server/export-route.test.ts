import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type App } from '../app/create-app.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { startHttpHost, type HttpHost } from './http-server.ts';
import { acceptReadings } from '../testing/decisions.ts';

describe('GET /api/export', () => {
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
    writeFiles(ui.path, { 'index.html': '<!doctype html><title>Tandem UI</title>' });
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann', now: () => Date.parse('2026-11-02T10:00:00Z') });
    await acceptReadings(app, ['files:A-1', 'files:A-2']);
    host = await startHttpHost(app, { staticDir: ui.path });
  });
  afterEach(async () => {
    await host.close();
    await app.settle();
    app.close();
    for (const d of [data, ws, ui]) d.cleanup();
  });

  it('streams the record as a CSV download with the filters of tandem export', async () => {
    const res = await fetch(`${host.url}/api/export?format=csv&since=2026-11-01&until=2026-11-02&associate=ann&verdict=accepted`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="tandem-decisions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.actor === 'ann' && r.kind === 'triage')).toBe(true);
    const none = await fetch(`${host.url}/api/export?format=jsonl&since=2026-11-03`);
    expect(await none.text()).toBe('');
  });

  it('redacts on request, names the redaction in the file name', async () => {
    const res = await fetch(`${host.url}/api/export?format=jsonl&redact=1`);
    expect(res.headers.get('content-disposition')).toMatch(/-redacted\.jsonl"$/);
    expect((await res.text()).trim().split('\n')).toHaveLength(2);
  });

  it('refuses bad filters with the reason, and a download started by another site', async () => {
    const bad = await fetch(`${host.url}/api/export?format=xlsx`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/^Export: format: /);
    const date = await fetch(`${host.url}/api/export?format=csv&since=yesterday`);
    expect(await date.text()).toMatch(/since: expected a date like 2026-11-01/);
    const cross = await fetch(`${host.url}/api/export?format=csv`, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(cross.status).toBe(403);
  });
});
