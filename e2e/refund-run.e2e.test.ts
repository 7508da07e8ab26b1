// The refund map end to end from the UI: triage confirmed, refund accepted, CRM note through the browser, reply posted —
// and each system's audit shows exactly one change.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, launchChromium, openAndConfirm, startHost, type Host } from './harness.ts';
import { HELPDESK_CREDENTIALS } from '../resources/sandbox/helpdesk.ts';
import { ORDERS_CREDENTIALS } from '../resources/sandbox/orders.ts';
import { PAYMENTS_CREDENTIALS } from '../resources/sandbox/payments.ts';
import { CRM_CREDENTIALS } from '../resources/sandbox/crm.ts';
import { LOGISTICS_CREDENTIALS } from '../resources/sandbox/logistics.ts';
import { BILLING_CREDENTIALS } from '../resources/sandbox/billing.ts';

const TICKET = 'helpdesk:1184'; // "Rückerstattung": Leon Schulz returns order 103862 ($34.00), no approval needed

describe('refund run in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  const audit = async (system: string) => ((await (await fetch(`${host.sandbox![system]!.url}/_audit`)).json()) as { entries: { action: string; detail: Record<string, unknown> }[] }).entries;

  it('runs every step with the keyboard and changes each system exactly once', async () => {
    expect(host.sandbox).not.toBeNull();
    await openAndConfirm(page, host.url, TICKET, 'Refund request');

    const run = page.getByRole('region', { name: 'Run' });
    const current = (stepId: string) => run.locator(`li[data-step-id="${stepId}"][aria-current="step"]`);
    // Lookups have run by themselves; the refund waits with its exact request shown.
    await current('refund').waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('li[data-step-id="refund"] pre').first().innerText()).toContain('"amount": 3400');
    await page.getByRole('complementary', { name: 'Customer' }).getByText('total', { exact: true }).waitFor(); // the lookups' facts, on one screen
    await page.keyboard.press('Enter');
    await current('crm_note').waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('li[data-step-id="crm_note"] pre').first().innerText()).toContain('Type “Refunded 34.00 USD on order 103862');
    await page.keyboard.press('Enter');
    await current('reply').waitFor({ timeout: 60_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'refund-run.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await run.getByText('Done', { exact: true }).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('h2 .run-state').innerText()).toBe('Done');

    const refunds = (await audit('payments')).filter((e) => e.action === 'refund.created');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.detail).toMatchObject({ amount: 3400, order_id: '103862' });
    const notes = (await audit('crm')).filter((e) => e.action === 'customer.note_added');
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.detail.text)).toMatch(/^Refunded 34\.00 USD on order 103862 \(re_demo_\d+\), ticket helpdesk:1184\.$/);
    expect((await audit('helpdesk')).map((e) => e.action)).toEqual(['ticket.reply', 'ticket.status']);
    expect((await audit('orders')).length + (await audit('billing')).length + (await audit('logistics')).length).toBe(0); // nothing else changed

    // The lead's Insights count these verdicts.
    await page.goto(`${host.url}/#/insights`);
    const row = page.locator('table.insights tr', { hasText: 'refund_request · refund' });
    await row.waitFor();
    expect(await row.locator('td').nth(1).innerText()).toBe('1');
    expect(await row.locator('td').nth(2).innerText()).toMatch(/^100%/);
    expect(await row.locator('td').nth(3).innerText()).toBe('20.7%'); // one sample proves little: Wilson lower bound of 1/1
    await page.screenshot({ path: join(ARTIFACTS, 'insights.png'), fullPage: true });
  });

  it('leaves no seeded secret in SQLite, logs, exports, screenshots or anything the UI received', async () => {
    const secrets = [
      HELPDESK_CREDENTIALS.api_token,
      ORDERS_CREDENTIALS.token,
      PAYMENTS_CREDENTIALS.secret_key,
      CRM_CREDENTIALS.password,
      LOGISTICS_CREDENTIALS.password,
      BILLING_CREDENTIALS.api_key,
    ];
    const places: [string, string][] = [];
    // The database with its WAL, and every other file Tandem wrote, except the browser's own profiles.
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'browser-profiles' ? [] : walk(join(dir, e.name))) : [join(dir, e.name)]));
    for (const file of walk(host.dataDir)) if (statSync(file).size < 50_000_000) places.push([file, readFileSync(file).toString('latin1')]);
    places.push(['host output', host.output()]);
    for (const format of ['csv', 'jsonl']) {
      places.push([`export ${format}`, execFileSync(process.execPath, [join(ROOT, 'bin', 'tandem.js'), 'export', '--format', format, '--data-dir', host.dataDir], { encoding: 'utf8' })]);
    }
    // Everything the renderer can ask for.
    const api = async (name: string, input: unknown) => (await fetch(`${host.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).text();
    for (const [name, input] of [['app.info', {}], ['tickets.list', {}], ['tickets.get', { id: TICKET }], ['runs.list', {}], ['decisions.list', {}], ['intents.list', {}]] as const) {
      places.push([`renderer ${name}`, await api(name, input)]);
    }
    places.push(['page text', await page.content()]);
    expect(places.length).toBeGreaterThan(8);
    const leaks = places.flatMap(([where, text]) => secrets.filter((s) => text.includes(s)).map((s) => `${where} holds ${s.slice(0, 4)}…`));
    expect(leaks).toEqual([]);
  });

  it('asks for an order number Tandem could not read in a form, and starts the run again with it', async () => {
    const ticket = 'helpdesk:1111'; // "Order 1O1584": a letter O where a zero should be
    await openAndConfirm(page, host.url, ticket, 'Refund request');
    const run = page.getByRole('region', { name: 'Run' });
    const form = run.getByRole('form', { name: 'Run fields' });
    await form.getByText(/Tandem could not find order id in the ticket/).waitFor({ timeout: 20_000 });
    await form.getByLabel(/^order id \(needed\)/).fill('101584');
    await page.keyboard.press('Enter');
    await run.locator('li[data-step-id="refund"][aria-current="step"]').waitFor({ timeout: 20_000 });
    expect(await form.count()).toBe(0); // the form closes once the run has what it needs
    await expect.poll(() => run.locator('li[data-step-id="refund"] pre').first().innerText()).toContain('"amount": 8900');
  });
});
