// 2FA through the app: a run's browser step pauses on the CRM's one-time code, the UI hears of it (without the code),
// the associate's answer through the contract lets the step finish, and the code is nowhere in SQLite.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_2FA_CREDENTIALS } from '../../resources/sandbox/crm.ts';
import { startSandbox, type Sandbox } from '../../resources/sandbox/index.ts';
import type { CodeRequest } from '../contract/index.ts';
import { secretKey } from '../connectors/http/http-client.ts';
import { tempDir, writeFiles } from '../testing/temp-dirs.ts';
import { createMemoryStore } from '../vault/secret-store.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { chromiumPath, createBrowserPort } from './browser-port.ts';
import { createApp, type App } from './create-app.ts';

describe('a run paused for a one-time code', { timeout: 90_000 }, () => {
  let sandbox: Sandbox;
  let dir: ReturnType<typeof tempDir>;
  let app: App;
  let browser: ReturnType<typeof createBrowserPort>;

  beforeAll(async () => {
    const chromium = chromiumPath();
    if (!chromium) throw new Error('These tests need Chromium: apt-get install -y chromium');
    sandbox = await startSandbox();
    dir = tempDir();
    const ws = join(dir.path, 'ws');
    writeFiles(ws, {
      'tandem.yaml': { name: 'T' },
      'connectors/crm.yaml': { id: 'crm', title: 'CRM', type: 'browser', base_url: sandbox.systems.crm.url, username: CRM_2FA_CREDENTIALS.username, secret: 'password' },
      'maps/lookup.yaml': {
        id: 'lookup',
        version: 1,
        intent: { title: 'Look up', description: 'Look a customer up', examples: ['look me up please'] },
        steps: [{ id: 'crm_lookup', block: 'browser', connector: 'crm', mode: 'suggest', side_effect: false, actions: [{ goto: '/customers/cus_0002' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }] }],
      },
      'tickets/t.yaml': { tickets: [{ id: 'T-1', subject: 'Look me up', body: 'look me up please', requester: { name: 'Ann', email: 'ann@example.com' }, created_at: '2026-11-19T08:00:00Z' }] },
    });
    const vault = createMemoryStore(null);
    await vault.set(secretKey('crm', 'password'), CRM_2FA_CREDENTIALS.password);
    browser = createBrowserPort(loadWorkspace(ws), {}, vault, join(dir.path, 'data'), chromium);
    app = createApp({ dataDir: join(dir.path, 'data'), workspaceDir: ws, host: 'headless', version: 't', vault, browser });
  });
  afterAll(async () => {
    await app?.settle();
    await browser?.close();
    app?.close();
    await sandbox?.stop();
    dir?.cleanup();
  });

  it('asks through the contract, goes on with the answer, and keeps the code out of the database', async () => {
    const heard: CodeRequest[][] = [];
    const asked = new Promise<CodeRequest>((resolve) => {
      app.events.on('browser.codes', ({ pending }) => {
        heard.push(pending);
        if (pending[0]) resolve(pending[0]);
      });
    });
    const start = { value: await app.handlers['runs.start']({ ticketId: 'files:T-1', mapId: 'lookup' }) };
    // The associate accepts the step; it signs in, and the CRM asks for a code.
    const started = app.invoke('runs.decide', { runId: start.value.id, stepId: 'crm_lookup', decisionId: randomUUID(), verdict: 'accepted' });
    const first = await Promise.race([asked, started.then((r) => ({ started: r }))]);
    if ('started' in first) throw new Error(`the run did not ask for a code: ${JSON.stringify(first.started).slice(0, 1500)}`);
    const req = first;
    expect(req).toMatchObject({ connector: 'CRM', stepId: 'crm_lookup', ticketId: 'files:T-1', attempt: 1 });
    const listed = await app.invoke('browser.codes', {});
    expect(listed).toEqual({ ok: true, value: [req] });

    expect(await app.invoke('browser.code', { id: req.id })).toMatchObject({ ok: false, error: { code: 'bad_input' } });
    const code = ((await (await fetch(`${sandbox.systems.crm.url}/_otp?user=${CRM_2FA_CREDENTIALS.username}`)).json()) as { code: string }).code;
    expect(await app.invoke('browser.code', { id: req.id, code })).toEqual({ ok: true, value: { delivered: true } });
    expect(await app.invoke('browser.code', { id: req.id, code })).toEqual({ ok: true, value: { delivered: false } });

    const run = await started;
    expect(run.ok).toBe(true);
    await app.settle();
    const runs = { value: await app.handlers['runs.list']({}) };
    expect(runs.value[0]!.steps[0]).toMatchObject({ stepId: 'crm_lookup', state: 'done', outputs: { email: 'tobias.schneider@example.com' } });
    expect(heard.at(-1)).toEqual([]);
    // The code as a whole number on its own (not six digits inside a 13-digit timestamp).
    const alone = new RegExp(`(?<!\\d)${code}(?!\\d)`);
    expect(JSON.stringify(heard)).not.toMatch(alone);
    expect(JSON.stringify(runs.value)).not.toMatch(alone);
    app.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir.path, 'data', 'tandem.db')).toString('latin1')).not.toMatch(alone);
  });
});
