// The refund map end to end from the UI: triage confirmed, refund accepted, CRM note through the browser, reply posted —
// and each system's audit shows exactly one change.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launchChromium, startHost, type Host } from './harness.ts';

const TICKET = 'helpdesk:1075'; // "Widerruf Bestellung 102499": a $42.00 order, no approval needed

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
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(TICKET)}`);
    const triage = page.getByRole('region', { name: 'Triage' });
    await triage.locator('.chip').first().waitFor();
    if ((await triage.locator('.chip').first().innerText()).startsWith('Refund request')) await page.keyboard.press('Enter');
    else {
      await triage.getByRole('button', { name: /Change intent/ }).click();
      await triage.getByLabel('The customer actually wants').selectOption({ label: 'Refund request' });
      await triage.getByRole('button', { name: 'Save override' }).click();
    }

    const run = page.getByRole('region', { name: 'Run' });
    const current = (stepId: string) => run.locator(`li[data-step-id="${stepId}"][aria-current="step"]`);
    // Lookups have run by themselves; the refund waits with its exact request shown.
    await current('refund').waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('li[data-step-id="refund"] pre').first().innerText()).toContain('"amount": 4200');
    await page.getByRole('complementary', { name: 'Customer' }).getByText('total cents').waitFor(); // the lookups' facts, on one screen
    await page.keyboard.press('Enter');
    await current('crm_note').waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('li[data-step-id="crm_note"] pre').first().innerText()).toContain('Type “Refunded 42.00 USD on order 102499');
    await page.keyboard.press('Enter');
    await current('reply').waitFor({ timeout: 60_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'refund-run.png'), fullPage: true });
    await page.keyboard.press('Enter');
    await run.getByText('Done', { exact: true }).first().waitFor({ timeout: 20_000 });
    await expect.poll(() => run.locator('h2 .run-state').innerText()).toBe('Done');

    const refunds = (await audit('payments')).filter((e) => e.action === 'refund.created');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.detail).toMatchObject({ amount: 4200, order_id: '102499' });
    const notes = (await audit('crm')).filter((e) => e.action === 'customer.note_added');
    expect(notes).toHaveLength(1);
    expect(String(notes[0]!.detail.text)).toMatch(/^Refunded 42\.00 USD on order 102499 \(re_demo_\d+\), ticket helpdesk:1075\.$/);
    expect((await audit('helpdesk')).map((e) => e.action)).toEqual(['ticket.reply', 'ticket.status']);
    expect((await audit('orders')).length + (await audit('billing')).length + (await audit('logistics')).length).toBe(0); // nothing else changed
  });
});
