// The browser connector against the demo's web-only systems in Debian's Chromium: login from the vault, re-login after an
// expired session, wrong password, missing element, and a refusal to leave the connector's origin.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { chromiumPath } from '../../app/browser-port.ts';
import { TandemError } from '../../domain/errors.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { secretKey } from '../http/http-client.ts';
import { createBrowserPool, type BrowserConnector, type BrowserPool } from './browser-connector.ts';

describe('browser connector', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let pool: BrowserPool;
  let dir: ReturnType<typeof tempDir>;
  const vault = createMemoryStore(null);
  let crm: BrowserConnector;
  let logistics: BrowserConnector;

  beforeAll(async () => {
    const chromium = chromiumPath();
    if (!chromium) throw new Error('These tests need Chromium: apt-get install -y chromium (bash .ci/run does it)');
    sandbox = await startSandbox({ slowMs: 0, sessionExpiryEvery: 4 });
    dir = tempDir();
    pool = createBrowserPool({ profilesDir: dir.path, vault, executablePath: chromium, actionTimeoutMs: 3000, screenshotsDir: `${dir.path}/shots` });
    crm = { id: 'crm', title: 'CRM', baseUrl: sandbox.systems.crm.url, username: 'maya.ortiz', secret: 'password' };
    logistics = { id: 'logistics', title: 'Logistics', baseUrl: sandbox.systems.logistics.url, username: 'ops-desk', secret: 'password' };
    await vault.set(secretKey('crm', 'password'), sandbox.systems.crm.credentials.password!);
    await vault.set(secretKey('logistics', 'password'), sandbox.systems.logistics.credentials.password!);
  });
  afterAll(async () => {
    await pool?.close();
    await sandbox?.stop();
    dir?.cleanup();
  });

  const fails = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (err) {
      return err as TandemError;
    }
    throw new Error('expected the step to fail');
  };

  it('signs in with the vault password when the system asks, then does the step', async () => {
    const out = await pool.run(crm, [
      { goto: '/customers?q=juergen.klein' },
      { click: { role: 'link', name: 'juergen.klein@example.net' } },
      { fill: { target: { label: 'Note' }, value: 'Called back about order 100001' } },
      { click: { role: 'button', name: 'Add note' } },
      { wait_for: { text: 'Note added.' } },
      { extract: { target: { selector: '[data-field="store-credit"]' }, into: 'credit' } },
    ]);
    expect(out).toEqual({ credit: '$0.00' });
    expect(sandbox.audit('crm').map((e) => [e.action, e.actor])).toEqual([['customer.note_added', 'maya.ortiz']]);
  });

  it('keeps the login for the next step (one profile per connector)', async () => {
    const out = await pool.run(crm, [{ goto: '/customers/cus_0002' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }]);
    expect(out.email).toBe('tobias.schneider@example.com');
  });

  it('signs in again once when the session expires on a page visit', async () => {
    // The sandbox expires the session every 4th request: these visits cross several expiries.
    for (let i = 0; i < 5; i++) {
      const out = await pool.run(logistics, [{ goto: '/shipments?order=100353' }, { extract: { target: { selector: '[data-field="tracking"]' }, into: 'tracking' } }]);
      expect(out.tracking).toBe('1ZW81V360185806348');
    }
  });

  it('never repeats a submitted form when the session ends right after it: it asks instead', async () => {
    const l2 = { ...logistics, id: 'logistics2' };
    const createLabel = () => pool.run(l2, [{ goto: '/shipments?order=100353' }, { click: { role: 'button', name: 'Create return label' } }, { extract: { target: { selector: '[data-label-id]' }, into: 'label' } }]);
    await vault.set(secretKey('logistics2', 'password'), sandbox.systems.logistics.credentials.password!);
    const before = sandbox.audit('logistics').length;
    // New session: sign-in (visit 1), the visit again (2), the submit (3), the label page (4: the session expires).
    const err = await fails(createLabel());
    expect(err.code).toBe('connector_uncertain');
    expect(err.message).toMatch(/right after “click the button “Create return label””/);
    expect(err.hint).toMatch(/Check in Logistics whether it happened/);
    expect(sandbox.audit('logistics').length - before).toBe(1); // the submit went through once and was not repeated
  });

  it('says the password was rejected, in the words of the Settings screen', async () => {
    await vault.set(secretKey('crm2', 'password'), 'wrong-password');
    const err = await fails(pool.run({ ...crm, id: 'crm2' }, [{ goto: '/customers' }]));
    expect([err.code, err.message, err.hint]).toEqual(['connector_auth', 'CRM rejected the username or password.', 'Update them in Settings → Connections → CRM.']);
  });

  it('names the missing element and the page, and keeps a screenshot for the associate', async () => {
    const err = await fails(pool.run(crm, [{ goto: '/customers/cus_0003' }, { click: { role: 'button', name: 'Issue store credit' } }]));
    expect(err.code).toBe('connector_rejected');
    expect(err.message).toBe('CRM: the button “Issue store credit” was not found on /customers/cus_0003.');
    expect(err.hint).toMatch(/Do the step by hand/);
    expect(err.screenshot).toMatch(/^crm-missing-element-\d+\.png$/);
    expect(readFileSync(join(dir.path, 'shots', err.screenshot!)).subarray(1, 4).toString()).toBe('PNG');
  });

  it('never opens a page outside the connector', async () => {
    const err = await fails(pool.run(crm, [{ goto: 'https://example.com/phish' }]));
    expect(err.message).toMatch(/outside CRM/);
  });
});
