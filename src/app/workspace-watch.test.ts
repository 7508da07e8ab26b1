// A workspace changed by hand while Tandem runs: maps and tandem.yaml take effect without a restart, a broken file is
// reported like at start while the rest keeps working, and editors' swap files are ignored.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppInfo, IntentInfo } from '../contract/index.ts';
import { isWorkspaceFile } from '../workspace/watch.ts';
import { SMALL_WORKSPACE, tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type App } from './create-app.ts';

describe('a workspace edited by hand while Tandem runs', () => {
  let data: ReturnType<typeof tempDir>;
  let ws: ReturnType<typeof tempDir>;
  let app: App;

  beforeEach(() => {
    data = tempDir();
    ws = tempDir();
    writeFiles(ws.path, SMALL_WORKSPACE);
    app = createApp({ dataDir: data.path, workspaceDir: ws.path, host: 'headless', version: '0.0.0-test', user: 'ann' });
  });
  afterEach(async () => {
    await app.settle();
    app.close();
    data.cleanup();
    ws.cleanup();
  });

  const value = async <T>(name: string, input: unknown = {}): Promise<T> => {
    const r = await app.invoke(name, input);
    if (!r.ok) throw new Error(r.error.message);
    return r.value as T;
  };

  it('takes a map changed in an editor at once', async () => {
    expect((await value<IntentInfo[]>('intents.list')).find((i) => i.intent === 'refund_request')?.title).toBe('Refund request');
    writeFileSync(join(ws.path, 'maps', 'refund.yaml'), 'id: refund_request\nversion: 2\nintent:\n  title: Money back\n  description: Money back\n  examples: [I want a refund for my order]\n');
    await expect.poll(async () => (await value<IntentInfo[]>('intents.list')).find((i) => i.intent === 'refund_request')?.title, { timeout: 5_000 }).toBe('Money back');
  });

  it('takes new settings in tandem.yaml without a restart', async () => {
    expect((await value<AppInfo>('app.info')).workspace).toMatchObject({ name: 'Test team', escalateBelow: 0.4 });
    writeFileSync(join(ws.path, 'tandem.yaml'), 'name: Test team (night shift)\ntriage:\n  escalate_below: 0.6\ngraduation:\n  threshold: 0.9\n');
    await expect.poll(async () => (await value<AppInfo>('app.info')).workspace, { timeout: 5_000 }).toMatchObject({ name: 'Test team (night shift)', escalateBelow: 0.6 });
  });

  it('reports a file broken by hand and keeps the rest', async () => {
    const reported: unknown[] = [];
    app.events.on('workspace.problems', (p) => reported.push(p));
    writeFileSync(join(ws.path, 'maps', 'wismo.yaml'), 'id: where_is_my_order\nversion: [oops\n');
    await expect.poll(() => reported.length, { timeout: 5_000 }).toBeGreaterThan(0);
    expect(JSON.stringify(reported.at(-1))).toContain('wismo.yaml');
    expect((await value<IntentInfo[]>('intents.list')).map((i) => i.intent)).toContain('refund_request');
  });

  it('ignores editors’ swap, backup and lock files', () => {
    expect(isWorkspaceFile('maps/refund.yaml')).toBe(true);
    expect(isWorkspaceFile('tandem.yml')).toBe(true);
    expect(isWorkspaceFile('maps/.refund.yaml.swp')).toBe(false);
    expect(isWorkspaceFile('maps/refund.yaml~')).toBe(false);
    expect(isWorkspaceFile('maps/#refund.yaml#')).toBe(false);
    expect(isWorkspaceFile('maps/4913')).toBe(false);
  });
});
