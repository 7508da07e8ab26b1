// The inbox's search from the keyboard: "/" replaces the last search, Enter opens a single match or moves to the list,
// and the state chips count what the search finds; J and K keep the focused row in sight and in step with the ticket.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, startHost, type Host } from './harness.ts';

describe('inbox search in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    host = await startHost();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('searches from the keyboard and counts what it finds', async () => {
    await page.goto(host.url);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    const box = page.getByLabel('Search tickets');
    const allChip = page.getByRole('navigation', { name: 'Filter by state' }).getByRole('button').first();
    const total = Number(await allChip.locator('.count').innerText());

    // A word shared by several tickets: Enter moves to the list, on the first match, and the chips count the matches.
    await page.keyboard.press('/');
    await page.keyboard.type('refund');
    const matches = await rows.count();
    expect(matches).toBeGreaterThan(1);
    expect(matches).toBeLessThan(total);
    expect(Number(await allChip.locator('.count').innerText())).toBe(matches);
    await page.keyboard.press('Enter');
    await expect.poll(() => rows.first().getAttribute('aria-selected')).toBe('true');
    expect(await box.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(false);

    // "/" again selects the last search, so typing replaces it; a single match opens on Enter.
    const subject = await rows.first().locator('td.subject').innerText();
    const ticketId = await rows.first().getAttribute('data-ticket-id');
    await page.keyboard.press('/');
    await page.keyboard.type(subject);
    expect(await box.inputValue()).toBe(subject);
    await expect.poll(() => rows.count()).toBe(1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain(`#/tickets/${encodeURIComponent(ticketId!)}`);
  });

  it('keeps the row J reaches in sight, and comes back to the ticket the associate was on', async () => {
    await page.goto(host.url);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(40);
    const total = await rows.count();
    const inView = async (row: ReturnType<typeof rows.nth>) => {
      const box = await row.boundingBox();
      return box !== null && box.y >= 0 && box.y + box.height <= 860;
    };
    for (let i = 0; i < 30; i++) await page.keyboard.press('j');
    const row30 = rows.nth(30);
    await expect.poll(() => row30.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => inView(row30)).toBe(true);

    // Open it from the keyboard: the ticket says where it is in the queue; J moves on; Esc comes back to that row.
    const nextId = await rows.nth(31).getAttribute('data-ticket-id');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('queue-position').innerText()).toBe(`31 of ${total}`);
    await page.keyboard.press('j');
    await expect.poll(() => page.url()).toContain(`#/tickets/${encodeURIComponent(nextId!)}`);
    await expect.poll(() => page.getByTestId('queue-position').innerText()).toBe(`32 of ${total}`);
    await page.keyboard.press('Escape');
    const back = page.locator(`tbody tr[data-ticket-id="${nextId}"]`);
    await expect.poll(() => back.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => inView(back)).toBe(true);
  });
});
