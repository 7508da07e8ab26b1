// The walking skeleton end to end: accept one triage and override another in the real UI, then read SQLite and the CSV export.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, launchChromium, startHost, type Host } from './harness.ts';

describe('triage slice in the real UI', () => {
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

  it('accepts one triage, overrides another, and records both', async () => {
    await page.goto(host.url);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(1);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'inbox.png'), fullPage: false });

    const firstId = await rows.nth(0).getAttribute('data-ticket-id');
    const secondId = await rows.nth(1).getAttribute('data-ticket-id');
    expect(firstId).toBeTruthy();
    expect(secondId).toBeTruthy();

    // Accept with the keyboard, as an associate would.
    await rows.nth(0).click();
    const triage = page.getByRole('region', { name: 'Triage' });
    await expect.poll(() => triage.getByRole('button', { name: /Accept/ }).isVisible()).toBe(true);
    const suggestedTitle = (await triage.locator('.chip').first().innerText()).replace(/\s*\d+%$/, '');
    await page.keyboard.press('Enter');
    await triage.getByText(/^Accepted as /).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-accepted.png') });

    // Back to the inbox, open the second ticket, and override its intent with a reason.
    await page.keyboard.press('Escape');
    await page.locator(`tbody tr[data-ticket-id="${secondId}"]`).click();
    await triage.getByRole('button', { name: /Change intent/ }).click();
    const select = triage.getByLabel('The customer actually wants');
    const options = await select.locator('option:not([disabled])').allInnerTexts();
    const chosenTitle = options.find((o) => o !== suggestedTitle) ?? options[0]!;
    await select.selectOption({ label: chosenTitle });
    await triage.getByLabel(/Why/).fill('Customer asks about something else, see the second paragraph');
    await triage.getByRole('button', { name: 'Save override' }).click();
    await triage.getByText(new RegExp(`^Changed to ${chosenTitle}`)).waitFor();

    // The inbox shows the ticket moved on from triage: its map has started (it waits, escalates or is done).
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator(`tbody tr[data-ticket-id="${firstId}"] .state-badge`).innerText()).toMatch(/^(In progress|Escalated|Done)$/);

    // The SQLite file holds exactly the two decisions, with who, when, suggested, final, verdict and confidence.
    const db = new Database(join(host.dataDir, 'tandem.db'), { readonly: true });
    const rowsInDb = db.prepare('SELECT * FROM decisions ORDER BY seq').all() as Record<string, unknown>[];
    const intents = new Map((db.prepare('SELECT t.id, tr.intent FROM tickets t JOIN triage tr ON tr.ticket_id = t.id').all() as { id: string; intent: string }[]).map((r) => [r.id, r.intent]));
    db.close();
    expect(rowsInDb).toHaveLength(2);
    const [accepted, overridden] = rowsInDb;
    expect(accepted).toMatchObject({ ticket_id: firstId, verdict: 'accepted', kind: 'triage', reason: null });
    expect(accepted!.final).toBe(accepted!.suggested);
    expect(accepted!.suggested).toBe(intents.get(firstId!));
    expect(overridden).toMatchObject({ ticket_id: secondId, verdict: 'overridden', reason: 'Customer asks about something else, see the second paragraph' });
    expect(overridden!.final).not.toBe(overridden!.suggested);
    for (const r of rowsInDb) {
      expect(typeof r.actor).toBe('string');
      expect(r.actor).not.toBe('');
      expect(r.decided_at as number).toBeGreaterThan(Date.parse('2026-01-01'));
      expect(r.confidence as number).toBeGreaterThanOrEqual(0);
      expect(r.decision_ms as number).toBeGreaterThanOrEqual(0);
    }

    // `tandem export` writes the same two rows as CSV.
    const csv = execFileSync(process.execPath, [join(ROOT, 'bin', 'tandem.js'), 'export', '--format', 'csv', '--data-dir', host.dataDir], { encoding: 'utf8' });
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.ticket_id, r.verdict, r.suggested, r.final])).toEqual(
      rowsInDb.map((r) => [r.ticket_id, r.verdict, r.suggested, r.final]),
    );
    expect(records[1]!.reason).toBe('Customer asks about something else, see the second paragraph');
    expect(new Date(records[0]!.decided_at!).getTime()).toBe(accepted!.decided_at);
  });
});
