// Settings → Connections through the contract: set / not set / last test, a real sign-in test, and never a secret value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../contract/index.ts';
import { startDemoSandbox, type DemoSandbox } from '../demo/start-demo.ts';
import { tempDir } from '../testing/temp-dirs.ts';
import { createMemoryStore } from '../vault/secret-store.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { chromiumPath, createBrowserPort } from './browser-port.ts';
import { createApp, type App } from './create-app.ts';
import { demoWorkspaceDir } from './paths.ts';

describe('connections', { timeout: 60_000 }, () => {
  let app: App;
  let demo: DemoSandbox;
  let data: ReturnType<typeof tempDir>;
  let browser: ReturnType<typeof createBrowserPort>;
  const vault = createMemoryStore(null);

  beforeAll(async () => {
    data = tempDir();
    const workspace = loadWorkspace(demoWorkspaceDir());
    demo = (await startDemoSandbox(workspace, vault))!;
    browser = createBrowserPort(workspace, demo.addresses, vault, data.path, chromiumPath()!);
    app = createApp({ dataDir: data.path, workspaceDir: workspace.root, host: 'headless', version: 't', user: 'ann', vault, sandbox: demo.addresses, browser });
  });
  afterAll(async () => {
    app?.close();
    await browser?.close();
    await demo?.stop();
    data?.cleanup();
  });

  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await app.invoke(name, input);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };

  it('lists every connector with its secrets as set or not set, never their values', async () => {
    const list = await call<Connection[]>('connections.list', {});
    expect(list.map((c) => [c.id, c.type, c.secrets])).toEqual([
      ['billing', 'http', [{ name: 'api_key', set: true }]],
      ['crm', 'browser', [{ name: 'password', set: true }]],
      ['helpdesk', 'http', [{ name: 'api_token', set: true }]],
      ['logistics', 'browser', [{ name: 'password', set: true }]],
      ['orders', 'http', [{ name: 'token', set: true }]],
      ['payments', 'http', [{ name: 'secret_key', set: true }]],
    ]);
    expect(JSON.stringify(list)).not.toContain('sk_test_demo');
  });

  it('tests a connection for real, and says what to do when the credential is wrong', async () => {
    expect((await call<Connection>('connections.test', { connectorId: 'payments' })).lastTest).toMatchObject({ ok: true });
    const saved = await call<Connection>('connections.setSecret', { connectorId: 'payments', name: 'secret_key', value: 'sk_test_wrong' });
    expect(saved.lastTest).toBeNull(); // a new value has not been tested yet
    const failed = await call<Connection>('connections.test', { connectorId: 'payments' });
    expect(failed.lastTest).toMatchObject({ ok: false, message: expect.stringMatching(/^Payments rejected the credentials/) as string, error: { code: 'connector_auth', hint: 'Update them in Settings → Connections → Payments.' } });
    expect(JSON.stringify(failed)).not.toContain('sk_test_wrong');
  });

  it('signs in to a web-only system when testing it', async () => {
    expect((await call<Connection>('connections.test', { connectorId: 'crm' })).lastTest).toMatchObject({ ok: true, message: 'Signed in to CRM.' });
    await call('connections.setSecret', { connectorId: 'logistics', name: 'password', value: 'not-the-password' });
    const failed = await call<Connection>('connections.test', { connectorId: 'logistics' });
    expect(failed.lastTest).toMatchObject({ ok: false, error: { code: 'connector_auth' } });
  });

  it('deletes a secret, and refuses names a connector does not use', async () => {
    expect((await call<Connection>('connections.deleteSecret', { connectorId: 'orders', name: 'token' })).secrets).toEqual([{ name: 'token', set: false }]);
    expect((await call<Connection>('connections.test', { connectorId: 'orders' })).lastTest?.error?.code).toBe('credentials_missing');
    const r = await app.invoke('connections.setSecret', { connectorId: 'orders', name: 'admin_password', value: 'x' });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_input', message: 'Orders uses no secret called "admin_password".' } });
  });
});
