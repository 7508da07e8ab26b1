// The desktop app's Export dialog: the host's save dialog picks the path, the core writes the record there whole or not
// at all, byte for byte what `tandem export` writes; cancelling writes nothing; a host without a dialog says what to use.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/cli-io.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type App } from './create-app.ts';
import { acceptReadings } from '../testing/decisions.ts';

describe('export.save', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let out: ReturnType<typeof tempDir>;
  let app: App;
  let answer: string | null = null;
  const asked: string[] = [];

  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    out = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'electron', version: 't', user: 'ann', now: () => Date.parse('2026-11-20T10:00:00Z'), chooseExportPath: async (name) => (asked.push(name), answer) });
    await acceptReadings(app, ['files:A-1', 'files:A-2']);
  });
  afterEach(async () => {
    await app.settle();
    app.close();
    data.cleanup();
    ws.cleanup();
    out.cleanup();
    asked.length = 0;
  });

  it('writes where the associate chose exactly what tandem export writes, with the filters', async () => {
    answer = join(out.path, 'record.csv');
    const r = await app.invoke('export.save', { format: 'csv', verdict: 'accepted', until: '2026-11-20' });
    expect(r).toEqual({ ok: true, value: { saved: true, path: answer, rows: 2 } });
    expect(asked).toEqual(['tandem-decisions-2026-11-20.csv']);
    const cli = await runCaptured(['export', '--format', 'csv', '--verdict', 'accepted', '--until', '2026-11-20', '--data-dir', data.path]);
    expect(cli.code).toBe(0);
    expect(readFileSync(answer, 'utf8')).toBe(cli.out);
    expect(readdirSync(out.path)).toEqual(['record.csv']);
    // Outside the period: an empty export is still a valid file with its header.
    const none = await app.invoke('export.save', { format: 'jsonl', since: '2026-12-01', redact: true });
    expect(none).toMatchObject({ ok: true, value: { saved: true, rows: 0 } });
    expect(asked[1]).toBe('tandem-decisions-2026-11-20-redacted.jsonl');
  });

  it('writes nothing when the associate cancels the save dialog', async () => {
    answer = null;
    expect(await app.invoke('export.save', { format: 'csv' })).toEqual({ ok: true, value: { saved: false, path: null, rows: 0 } });
    expect(readdirSync(out.path)).toEqual([]);
  });

  it('names the path and the fix when the file cannot be written, and leaves no partial file', async () => {
    answer = join(out.path, 'no-such-folder', 'record.csv');
    const r = await app.invoke('export.save', { format: 'csv' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.message).toContain(answer);
    expect(r.error.hint).toMatch(/folder you can write to/);
    expect(existsSync(join(out.path, 'no-such-folder'))).toBe(false);
    expect(readdirSync(out.path)).toEqual([]);
  });

  it('refuses bad dates by name, and a host without a save dialog points to Download', async () => {
    expect(await app.invoke('export.save', { format: 'csv', since: 'yesterday' })).toMatchObject({ ok: false, error: { code: 'bad_input', message: expect.stringMatching(/since/) } });
    const otherData = tempDir();
    const headless = createApp({ dataDir: otherData.path, workspaceDir: ws.path, host: 'headless', version: 't' });
    try {
      expect(await headless.invoke('export.save', { format: 'csv' })).toMatchObject({ ok: false, error: { code: 'not_supported', hint: expect.stringMatching(/Download/) } });
    } finally {
      await headless.settle();
      headless.close();
      otherData.cleanup();
    }
  });
});
