// The recorder in Debian's Chromium against the demo CRM: Tandem signs in first (never recorded), then what a person
// does becomes actions with targets a person would name, and a password typed on the page never leaves it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { chromiumPath } from '../../app/browser-port.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { secretKey } from '../http/http-client.ts';
import { createBrowserPool, type BrowserConnector, type BrowserPool } from './browser-connector.ts';
import { createRecorder, type Recorder } from './recorder.ts';

describe('recorder', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let pool: BrowserPool;
  let recorder: Recorder;
  let dir: ReturnType<typeof tempDir>;
  let page: Page | null = null;
  const vault = createMemoryStore(null);
  let crm: BrowserConnector;

  beforeAll(async () => {
    const chromium = chromiumPath();
    if (!chromium) throw new Error('These tests need Chromium: apt-get install -y chromium');
    sandbox = await startSandbox({ slowMs: 0 });
    dir = tempDir();
    pool = createBrowserPool({ profilesDir: dir.path, vault, executablePath: chromium, actionTimeoutMs: 5000 });
    crm = { id: 'crm', title: 'CRM', baseUrl: sandbox.systems.crm.url, username: 'maya.ortiz', secret: 'password' };
    await vault.set(secretKey('crm', 'password'), sandbox.systems.crm.credentials.password!);
    recorder = createRecorder(async (_id, path) => {
      page = await pool.openPage(crm, path);
      return { page, baseUrl: crm.baseUrl };
    }, { visible: false });
  });
  afterAll(async () => {
    await recorder?.close();
    await pool?.close();
    await sandbox?.stop();
    dir?.cleanup();
  });

  it('records clicks and typing with robust targets, after a sign-in it does not record, and never a password', async () => {
    const started = await recorder.start('crm', '/customers');
    expect(started.actions).toEqual([{ goto: '/customers' }]); // signed in already, and the sign-in is not in the block
    const p = page!;
    await p.getByLabel('Search by name or email').fill('hannah.nelson@example.net');
    await p.getByRole('button', { name: 'Search' }).click();
    await p.getByRole('link', { name: 'hannah.nelson@example.net' }).click();
    await p.getByRole('link', { name: 'Edit' }).click();
    await p.getByLabel('Phone').fill('+1 402-555-0199');
    // Things the CRM does not have, added to its page: a password box, a placeholder-only box, a bare box.
    await p.evaluate(() => {
      const doc = (globalThis as unknown as { document: { body: { insertAdjacentHTML(where: string, html: string): void } } }).document;
      doc.body.insertAdjacentHTML('beforeend', '<label>PIN <input type="password"></label><input placeholder="Zip code"><div id="box"><input name="ref"></div>');
    });
    await p.getByLabel('PIN').fill('s3cret-pin-4711');
    await p.getByPlaceholder('Zip code').fill('68102');
    await p.locator('input[name=ref]').fill('R-1');
    await p.getByLabel('PIN').press('Enter'); // Enter in a password box is not recorded as a submit either
    await expect.poll(() => recorder.poll(started.sessionId).actions.length).toBe(8);
    const done = await recorder.stop(started.sessionId);
    expect(done.actions).toEqual([
      { goto: '/customers' },
      { fill: { target: { label: 'Search by name or email' }, value: 'hannah.nelson@example.net' } },
      { click: { role: 'button', name: 'Search' } },
      { click: { role: 'link', name: 'hannah.nelson@example.net' } },
      { click: { role: 'link', name: 'Edit' } },
      { fill: { target: { label: 'Phone' }, value: '+1 402-555-0199' } },
      { fill: { target: { placeholder: 'Zip code' }, value: '68102' } },
      { fill: { target: { selector: 'input[name="ref"]' }, value: 'R-1' } },
    ]);
    expect(done.skipped).toEqual(['typing into the password field “PIN” (passwords are never recorded; the connector signs in by itself)']);
    expect(JSON.stringify(done)).not.toContain('s3cret-pin-4711');
    expect(JSON.stringify(done)).not.toContain(sandbox.systems.crm.credentials.password!);
    expect(() => recorder.poll(started.sessionId)).toThrow(/That recording is over/);
  });
});
