// browser.view: the desktop app's embedded browser is shown or hidden through the contract; the headless host says it has none.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createApp, type BrowserViews } from './create-app.ts';

describe('browser.view', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
    writeFiles(join(dir.path, 'ws'), {
      'tandem.yaml': { name: 'T' },
      'connectors/crm.yaml': { id: 'crm', title: 'CRM', type: 'browser', base_url: 'http://127.0.0.1:9', username: 'u', secret: 'password' },
      'connectors/api.yaml': { id: 'api', title: 'API', type: 'http', base_url: 'http://127.0.0.1:9' },
    });
  });
  afterEach(() => dir.cleanup());

  it('shows and hides a browser connector’s view in the desktop app', async () => {
    // Electron cannot run here: the views are the one part replaced, and only their bookkeeping is checked.
    let shown: string | null = null;
    const calls: string[] = [];
    const views: BrowserViews = {
      show: async (id, title) => void (calls.push(`${id}:${title}`), (shown = id)),
      hide: () => void (shown = null),
      shown: () => shown,
    };
    const app = createApp({ dataDir: join(dir.path, 'data'), workspaceDir: join(dir.path, 'ws'), host: 'electron', version: 't', browserViews: views });
    expect(await app.invoke('browser.view', { connectorId: 'crm' })).toEqual({ ok: true, value: { embedded: true, shown: 'crm' } });
    expect(calls).toEqual(['crm:CRM']);
    expect(await app.invoke('browser.view', { connectorId: 'api' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await app.invoke('browser.view', { connectorId: null })).toEqual({ ok: true, value: { embedded: true, shown: null } });
    app.close();
  });

  it('in the headless host, says there is no embedded browser', async () => {
    const app = createApp({ dataDir: join(dir.path, 'data'), workspaceDir: join(dir.path, 'ws'), host: 'headless', version: 't' });
    expect(await app.invoke('browser.view', { connectorId: null })).toEqual({ ok: true, value: { embedded: false, shown: null } });
    expect(await app.invoke('browser.view', { connectorId: 'crm' })).toMatchObject({ ok: false, error: { code: 'not_supported', hint: expect.stringContaining('desktop app') } });
    app.close();
  });
});
