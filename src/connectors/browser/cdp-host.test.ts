// The embedded browser below Electron: Chromium started the way Tandem starts Electron (remote debugging on a loopback
// port it picks itself), views opened from outside playwright as Electron opens them, one partition per connector.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { chromiumPath } from '../../app/browser-port.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { secretKey } from '../http/http-client.ts';
import { createBrowserPool, type BrowserConnector, type BrowserPool } from './browser-connector.ts';
import { createCdpHost, readDevToolsActivePort, type ViewEmbedder } from './cdp-host.ts';

describe('embedded browser over CDP', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let dir: ReturnType<typeof tempDir>;
  let proc: ChildProcess;
  let endpoint: string;
  let embedderBrowser: Browser;
  let session: CDPSession;
  let pool: BrowserPool;
  const vault = createMemoryStore(null);
  const views = new Map<string, { contextId: string; shown: number }>();
  let crm: BrowserConnector;
  let logistics: BrowserConnector;

  beforeAll(async () => {
    const exe = chromiumPath();
    if (!exe) throw new Error('These tests need Chromium: apt-get install -y chromium');
    sandbox = await startSandbox({ slowMs: 0 });
    dir = tempDir();
    proc = spawn(exe, ['--headless=new', '--remote-debugging-port=0', '--remote-debugging-address=127.0.0.1', `--user-data-dir=${dir.path}`, '--no-sandbox', '--no-first-run', '--disable-gpu', 'about:blank'], { stdio: 'ignore' });
    // Chromium creates the file before it writes the port into it: wait for the port, not for the file.
    const published = () => existsSync(join(dir.path, 'DevToolsActivePort')) && /^\d+\n/.test(readFileSync(join(dir.path, 'DevToolsActivePort'), 'utf8'));
    for (let i = 0; i < 100 && !published(); i++) await new Promise((r) => setTimeout(r, 100));
    endpoint = readDevToolsActivePort(dir.path);
    // The "desktop app": opens a view per connector in a browser context of its own, outside playwright's connection.
    embedderBrowser = await chromium.connectOverCDP(endpoint);
    session = await embedderBrowser.newBrowserCDPSession();
    const embedder: ViewEmbedder = {
      async show(id, _title, url) {
        const known = views.get(id);
        if (known) {
          known.shown++;
          return;
        }
        const { browserContextId } = (await session.send('Target.createBrowserContext', {})) as { browserContextId: string };
        await session.send('Target.createTarget', { url, browserContextId });
        views.set(id, { contextId: browserContextId, shown: 1 });
      },
    };
    pool = createBrowserPool({ host: createCdpHost({ endpoint: () => endpoint, embedder }), profilesDir: dir.path, vault, actionTimeoutMs: 3000 });
    crm = { id: 'crm', title: 'CRM', baseUrl: sandbox.systems.crm.url, username: 'maya.ortiz', secret: 'password' };
    logistics = { id: 'logistics', title: 'Logistics', baseUrl: sandbox.systems.logistics.url, username: 'ops-desk', secret: 'password' };
    await vault.set(secretKey('crm', 'password'), sandbox.systems.crm.credentials.password!);
    await vault.set(secretKey('logistics', 'password'), sandbox.systems.logistics.credentials.password!);
  });
  afterAll(async () => {
    await pool?.close();
    await embedderBrowser?.close().catch(() => undefined);
    // Chromium keeps writing its profile until it has exited: wait for that before removing the directory.
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill();
      await exited;
    }
    await sandbox?.stop();
    dir?.cleanup();
  });

  it('finds the port Chromium picked on loopback', () => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('drives the view the host opened, signs in there, and leaves the page showing for the associate', async () => {
    const out = await pool.run(crm, [{ goto: '/customers/cus_0002' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }]);
    expect(out).toEqual({ email: 'tobias.schneider@example.com' });
    // Still open on the last page, where the associate can carry on by hand.
    const open = embedderBrowser.contexts().flatMap((c) => c.pages()).map((p) => p.url());
    expect(open).toContain(`${sandbox.systems.crm.url}/customers/cus_0002`);
  });

  it('reuses the same view and session for the next step, bringing it forward', async () => {
    const out = await pool.run(crm, [{ goto: '/customers/cus_0003' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }]);
    expect(out.email).toMatch(/@/);
    expect(views.get('crm')!.shown).toBe(2);
    expect(views.size).toBe(1);
  });

  it('keeps connectors in separate partitions: a second system has its own view and cookies', async () => {
    const out = await pool.run(logistics, [{ goto: '/shipments?order=100353' }, { extract: { target: { selector: '[data-field="tracking"]' }, into: 'tracking' } }]);
    expect(out.tracking).toBe('1ZW81V360185806348');
    expect(views.get('logistics')!.contextId).not.toBe(views.get('crm')!.contextId);
  });

  it('runs steps on one view one after another, never interleaved', async () => {
    const a = pool.run(crm, [{ goto: '/customers/cus_0002' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }]);
    const b = pool.run(crm, [{ goto: '/customers/cus_0003' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }]);
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.email).toBe('tobias.schneider@example.com');
    expect(rb.email).not.toBe(ra.email);
  });

  it('refuses an endpoint that is not on loopback', async () => {
    const remote = createBrowserPool({ host: createCdpHost({ endpoint: () => 'http://10.0.0.5:9222', embedder: { show: async () => undefined } }), profilesDir: dir.path, vault });
    await expect(remote.run(crm, [{ goto: '/' }])).rejects.toMatchObject({ code: 'not_supported', message: expect.stringContaining('loopback') });
  });
});
