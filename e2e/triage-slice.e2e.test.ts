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
    const secondRow = page.locator(`tbody tr[data-ticket-id="${secondId}"]`);
    await expect.poll(() => secondRow.locator('.chip').innerText()).toMatch(/\d+%$/);
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

    // The overridden ticket is listed under the intent the associate chose, at once and after a reload, and the state
    // chips count the rows as they are.
    const chips = page.getByRole('navigation', { name: 'Filter by state' });
    const chipText = async (row: typeof secondRow) => (await row.locator('.chip').innerText()).replace(/\s+/g, ' ');
    const countsMatchRows = async () => {
      const triagedChip = Number(await chips.getByRole('button', { name: /^Triaged/ }).locator('.count').innerText());
      const triagedRows = (await page.locator('tbody tr .state-badge').allInnerTexts()).filter((s) => s === 'Triaged').length;
      return triagedChip === triagedRows;
    };
    for (const when of ['at once', 'after a reload']) {
      if (when === 'after a reload') await page.reload();
      await expect.poll(() => chipText(secondRow), { message: when }).toBe(`${chosenTitle} changed`);
      await expect.poll(() => secondRow.locator('.state-badge').innerText(), { message: when }).toMatch(/^(In progress|Escalated|Done)$/);
      await expect.poll(countsMatchRows, { message: when }).toBe(true);
    }
    await expect.poll(() => chipText(page.locator(`tbody tr[data-ticket-id="${firstId}"]`))).toBe(`${suggestedTitle} accepted`);

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

  it('moves through the queue with J and K, says where, and never accepts on a ticket Enter meets too soon', async () => {
    const decisions = () => {
      const db = new Database(join(host.dataDir, 'tandem.db'), { readonly: true });
      try {
        return db.prepare("SELECT ticket_id FROM decisions WHERE kind = 'triage' ORDER BY seq").pluck().all() as string[];
      } finally {
        db.close();
      }
    };
    const before = decisions();
    await page.goto(host.url);
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    // The tickets still waiting for a verdict, opened from the keyboard as an associate does.
    await page.getByRole('navigation', { name: 'Filter by state' }).getByRole('button', { name: /^Triaged/ }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(3);
    const total = await rows.count();
    const ids = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-ticket-id')!))).slice(0, 4);
    const subjects = (await rows.locator('td.subject').allInnerTexts()).slice(0, 4);
    await page.keyboard.press('Enter');

    const ticket = page.getByRole('region', { name: 'Ticket' });
    const triage = page.getByRole('region', { name: 'Triage' });
    const position = page.getByTestId('queue-position');
    const status = page.getByTestId('queue-status');
    const settled = () => ticket.getAttribute('data-verdict-keys');
    const on = async (i: number) => {
      await expect.poll(() => page.url()).toContain(`#/tickets/${encodeURIComponent(ids[i]!)}`);
      await expect.poll(() => position.innerText()).toBe(`${i + 1} of ${total} in Triaged`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe(subjects[i]);
      await triage.getByRole('button', { name: /Accept/ }).waitFor();
    };
    await on(0);
    expect(await page.getByRole('navigation', { name: 'Queue' }).innerText()).toMatch(/Previous\s*K[\s\S]*Next\s*J/);
    await expect.poll(settled).toBe('ready');

    // J: the next ticket, with where it is and its title said in the header.
    await page.keyboard.press('j');
    await on(1);
    expect(await status.innerText()).toContain(`Next ticket (J): ${subjects[1]} — `);
    await expect.poll(settled).toBe('ready');

    // J then Enter at once: neither the ticket left nor the one reached is accepted.
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await on(2);
    await expect.poll(settled).toBe('ready');
    expect(await triage.getByText(/^Accepted as /).count()).toBe(0);
    expect(decisions()).toEqual(before);

    // An Enter the moment K has drawn the ticket (dispatched from the page, so no round trip can make it late) is
    // ignored, and the associate is told why.
    // (A script in the page: this file is compiled without the DOM's types.)
    await page.evaluate(`(() => {
      const drawn = ${JSON.stringify(`.ticket-columns[data-ticket-id="${ids[1]}"] section[aria-label="Triage"] button.primary`)};
      const press = () => document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      const seen = new MutationObserver(() => {
        if (!document.querySelector(drawn)) return;
        seen.disconnect();
        // Right away, and on the next two frames in case the panel was not listening yet.
        press();
        requestAnimationFrame(() => {
          press();
          requestAnimationFrame(press);
        });
      });
      seen.observe(document.body, { childList: true, subtree: true });
    })()`);
    await page.keyboard.press('k');
    await on(1);
    expect(await status.innerText()).toContain(`Previous ticket (K): ${subjects[1]} — `);
    await expect.poll(() => status.innerText()).toContain('Enter ignored: you just moved to this ticket. Check what it says, then press Enter again.');
    await expect.poll(settled).toBe('ready');
    expect(await triage.getByText(/^Accepted as /).count()).toBe(0);
    expect(decisions()).toEqual(before);
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-enter-ignored.png') });

    // Once the ticket has been on screen a moment, Enter accepts it, and only it.
    await page.keyboard.press('Enter');
    await triage.getByText(/^Accepted as /).waitFor();
    expect(decisions()).toEqual([...before, ids[1]]);

    // Decided, it has left the Triaged list; J still goes on to the next ticket in it.
    await expect.poll(() => position.innerText()).toMatch(/^Not in Triaged \(\d+ tickets? there\)$/);
    await page.keyboard.press('j');
    await expect.poll(() => page.url()).toContain(`#/tickets/${encodeURIComponent(ids[2]!)}`);
    await expect.poll(() => position.innerText()).toBe(`2 of ${total - 1} in Triaged`);
  });
});
