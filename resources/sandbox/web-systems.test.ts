// The web-only systems of the demo: CRM and Logistics — login, CSRF, the pages a browser connector drives, expiry and audits.
import { afterEach, describe, expect, it } from 'vitest';
import type { Sandbox } from './index.ts';
import { webClient, withSandbox } from './test-helpers.ts';

let sb: Sandbox;
afterEach(async () => sb?.stop());

describe('CRM', () => {
  it('sends strangers to the login and refuses a wrong password', async () => {
    sb = await withSandbox();
    const web = webClient(sb.systems.crm.url);
    expect((await web.get('/customers?q=klein')).location).toMatch(/^\/login\?next=/);
    expect((await web.login('maya.ortiz', 'wrong')).location).toMatch(/failed=1/);
  });

  it('finds a customer, adds a note and edits the email, auditing each change', async () => {
    sb = await withSandbox();
    const web = webClient(sb.systems.crm.url);
    await web.login(sb.systems.crm.credentials.username!, sb.systems.crm.credentials.password!);
    const search = await web.get('/customers?q=juergen.klein');
    expect(search.body).toContain('href="/customers/cus_0001"');
    const pageHtml = (await web.get('/customers/cus_0001')).body;
    const csrf = web.csrfOf(pageHtml);
    expect((await web.post('/customers/cus_0001/notes', { text: 'Refunded $20' })).status).toBe(403); // no CSRF token
    expect((await web.post('/customers/cus_0001/notes', { csrf, text: 'Refunded $20 on order 100001' })).location).toBe('/customers/cus_0001?noted=1');
    const bad = await web.post('/customers/cus_0001/edit', { csrf, email: 'not-an-email', phone: '1', store_credit: '0' });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('Email is not a valid address.');
    await web.post('/customers/cus_0001/edit', { csrf, email: 'j.klein@example.org', phone: '+49 176 1492534', store_credit: '0.00' });
    expect((await web.get('/customers/cus_0001')).body).toContain('j.klein@example.org');
    expect(sb.audit('crm').map((e) => [e.action, e.detail])).toEqual([
      ['customer.note_added', expect.objectContaining({ text: 'Refunded $20 on order 100001' })],
      ['customer.updated', { email: { from: 'juergen.klein@example.net', to: 'j.klein@example.org' } }],
    ]);
  });
});

describe('Logistics', () => {
  it('creates a return label for an order and shows it', async () => {
    sb = await withSandbox();
    const web = webClient(sb.systems.logistics.url);
    await web.login(sb.systems.logistics.credentials.username!, sb.systems.logistics.credentials.password!);
    const shipment = await web.get('/shipments?order=100353');
    expect(shipment.body).toContain('1ZW81V360185806348');
    const created = await web.post('/shipments/100353/return-label', { csrf: web.csrfOf(shipment.body) });
    expect(created.location).toMatch(/^\/labels\/RL-100353-001$/);
    expect((await web.get(created.location!)).body).toContain('data-label-id="RL-100353-001"');
    expect(sb.audit('logistics').map((e) => e.action)).toEqual(['return_label.created']);
  });

  it('expires the session every Nth request and says so on the login page', async () => {
    sb = await withSandbox({ sessionExpiryEvery: 3 });
    const web = webClient(sb.systems.logistics.url);
    await web.login(sb.systems.logistics.credentials.username!, sb.systems.logistics.credentials.password!);
    expect((await web.get('/shipments')).status).toBe(200);
    expect((await web.get('/shipments')).status).toBe(200);
    const third = await web.get('/shipments?order=100353');
    expect(third.location).toMatch(/^\/login\?expired=1/);
    expect((await web.get(third.location!)).body).toContain('Your session expired');
  });
});

describe('the sandbox', () => {
  it('starts six systems and the second helpdesk on loopback and frees them on stop', async () => {
    sb = await withSandbox();
    const urls = Object.values(sb.systems).map((s) => s.url);
    expect(urls).toHaveLength(7);
    for (const url of urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/_health`)).status).toBe(200);
    }
    await sb.stop();
    await expect(fetch(`${urls[0]}/_health`)).rejects.toThrow();
    sb = await withSandbox();
  });
});
