import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app/create-app.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { runCli } from './main.ts';
import { captureIo } from '../testing/cli-io.ts';
import { acceptReadings } from '../testing/decisions.ts';

const io = captureIo;

describe('tandem CLI', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;

  beforeEach(async () => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
    const app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: 't', user: 'ann' });
    await acceptReadings(app, ['files:A-1']);
    app.close();
  });
  afterEach(() => {
    data.cleanup();
    ws.cleanup();
  });

  it('prints help with exit 0', async () => {
    const c = io();
    expect(await runCli(['--help'], c.io)).toBe(0);
    expect(c.out()).toMatch(/Usage: tandem <command>/);
    const s = io();
    expect(await runCli(['export', '--help'], s.io)).toBe(0);
    expect(s.out()).toMatch(/--format csv\|jsonl/);
  });

  it('exits 2 with the reason on stderr for bad usage', async () => {
    for (const argv of [['frobnicate'], ['export', '--format', 'xml'], ['export', '--since', 'last tuesday'], ['serve', '--port', 'abc'], ['export', '--bogus']]) {
      const c = io();
      expect(await runCli(argv, c.io)).toBe(2);
      expect(c.err()).not.toBe('');
      expect(c.out()).toBe('');
    }
  });

  it('exits 1 naming the fix when there is no database', async () => {
    const c = io();
    expect(await runCli(['export', '--data-dir', join(data.path, 'nowhere')], c.io)).toBe(1);
    expect(c.err()).toMatch(/no Tandem database .*\n.*--data-dir/);
  });

  it('exports to stdout, and to a file that appears whole', async () => {
    const c = io();
    expect(await runCli(['export', '--format', 'jsonl', '--data-dir', data.path], c.io)).toBe(0);
    expect(JSON.parse(c.out())).toMatchObject({ ticket_id: 'files:A-1', verdict: 'accepted', actor: 'ann' });

    const file = join(data.path, 'out.csv');
    const f = io();
    expect(await runCli(['export', '--format', 'csv', '--out', file, '--data-dir', data.path, '--json'], f.io)).toBe(0);
    expect(JSON.parse(f.out())).toEqual({ rows: 1, out: file });
    expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^\uFEFFseq,id,decided_at,/); // the BOM spreadsheets need to read UTF-8
    expect(readdirSync(data.path).filter((n) => n.includes('.partial-'))).toEqual([]);
  });

  it('filters by associate and verdict, and redacts customer data on request', async () => {
    const mine = io();
    expect(await runCli(['export', '--format', 'jsonl', '--associate', 'ann', '--verdict', 'accepted', '--data-dir', data.path], mine.io)).toBe(0);
    expect(mine.out().trim().split('\n')).toHaveLength(1);
    const none = io();
    expect(await runCli(['export', '--format', 'jsonl', '--associate', 'bob', '--data-dir', data.path], none.io)).toBe(0);
    expect(none.out()).toBe('');
    const stats = io();
    expect(await runCli(['stats', '--json', '--data-dir', data.path], stats.io)).toBe(0);
    expect(JSON.parse(stats.out())).toMatchObject({ triage: { n: 1, accepted: 1 } });
  });

  it('honours --since and --until, a plain --until date covering that whole day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const c = io();
    expect(await runCli(['export', '--format', 'jsonl', '--since', today, '--until', today, '--data-dir', data.path], c.io)).toBe(0);
    expect(c.out().trim().split('\n')).toHaveLength(1);
    const none = io();
    expect(await runCli(['export', '--format', 'jsonl', '--until', '2020-01-01', '--data-dir', data.path], none.io)).toBe(0);
    expect(none.out()).toBe('');
    expect(existsSync(join(data.path, 'tandem.db'))).toBe(true);
  });
});
