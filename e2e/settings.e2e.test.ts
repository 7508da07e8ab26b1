// Settings → Connections in the real UI: a wrong credential gives the message that says what to do; the right one signs in.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAYMENTS_CREDENTIALS } from '../resources/sandbox/payments.ts';
import { ARTIFACTS, launchChromium, startHost, type Host } from './harness.ts';

describe('connections in the real UI', () => {
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

  it('sets, tests and replaces a credential without ever showing it', async () => {
    await page.goto(`${host.url}/#/settings`);
    const payments = page.getByRole('article', { name: 'Connection Payments' });
    await payments.getByText('set', { exact: true }).waitFor();
    await payments.getByPlaceholder('Replace with a new value').fill('sk_test_wrong_key');
    await payments.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => payments.getByPlaceholder('Replace with a new value').inputValue()).toBe('');
    await payments.getByRole('status').getByText('Saved in the keychain').waitFor();
    await payments.getByRole('button', { name: 'Test connection' }).click();
    await payments.getByText(/Payments rejected the credentials/).waitFor();
    expect(await payments.getByRole('status').innerText()).toMatch(/Update them in Settings → Connections → Payments\./);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'settings.png'), fullPage: true });

    await payments.getByPlaceholder('Replace with a new value').fill(PAYMENTS_CREDENTIALS.secret_key);
    await payments.getByRole('button', { name: 'Save' }).click();
    await payments.getByRole('button', { name: 'Test connection' }).click();
    await payments.getByText('✓ Signed in to Payments.').waitFor();
    expect(await page.content()).not.toContain(PAYMENTS_CREDENTIALS.secret_key);
    expect(await page.content()).not.toContain('sk_test_wrong_key');

    // Deleting a credential asks first; Keep keeps it.
    await payments.getByRole('button', { name: 'Delete…' }).click();
    const confirm = payments.getByRole('group', { name: 'Delete secret_key?' });
    await confirm.getByRole('button', { name: 'Keep' }).click();
    expect(await confirm.count()).toBe(0);
    await payments.getByText('set', { exact: true }).waitFor();
    await payments.getByRole('button', { name: 'Delete…' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await payments.getByText('not set', { exact: true }).waitFor();
  });

  it('changes the name the record gives the associate, refusing Tandem’s own, and keeps it after a reload', async () => {
    await page.goto(`${host.url}/#/settings`);
    const settings = page.getByRole('region', { name: 'Settings' });
    await settings.getByRole('button', { name: 'Change' }).click();
    const box = settings.getByLabel('Your name in the record');
    await box.fill('tandem (auto)');
    await page.keyboard.press('Enter');
    await settings.getByText(/how the record names Tandem itself/).waitFor();
    await box.fill('Ann Lee');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('header .user').innerText()).toBe('Ann Lee');
    await page.reload();
    await expect.poll(() => page.locator('header .user').innerText()).toBe('Ann Lee');
  });
});
