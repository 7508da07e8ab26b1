// The map builder end to end: "update account email" built from an empty file in the UI, its browser block recorded by
// doing the task once in the demo CRM, tried as a dry run (nothing changes), saved, the app reloaded, and run for real
// on a demo ticket — the CRM's audit shows exactly the one change.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ARTIFACTS, ROOT, launchChromium, openAndConfirm, startHost, type Host } from './harness.ts';

// Recorded on Jonas's ticket, run on Hannah's: the references make one recording work for every ticket.
const RECORD = { subject: 'Two quick things', old: 'becker.jonas@mail.example.net', next: 'jonas.becker@example.net' };
const RUN = { subject: 'Phone: email update', old: 'hannah.nelson@example.net', next: 'hannah.nelson.218@example.com' };

describe('the map builder in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;
  let workspace: string;

  beforeAll(async () => {
    // A copy of the demo workspace without the map this test builds: saving must never touch the repository's files.
    workspace = mkdtempSync(join(tmpdir(), 'tandem-e2e-ws-'));
    cpSync(join(ROOT, 'resources', 'demo-workspace'), workspace, { recursive: true });
    rmSync(join(workspace, 'maps', 'update-account-email.yaml'));
    // The connectors' browser opens a debugging port: this test plays the associate who records the block.
    process.env.TANDEM_BROWSER_DEBUG_PORT = '0';
    host = await startHost(['--workspace', workspace]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1100 } });
  });
  afterAll(async () => {
    delete process.env.TANDEM_BROWSER_DEBUG_PORT;
    await browser?.close();
    await host?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const api = async <T>(name: string, input: unknown): Promise<T> => {
    const r = (await (await fetch(`${host.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) })).json()) as { ok: boolean; value: T };
    expect(r.ok).toBe(true);
    return r.value;
  };
  const crmAudit = async () => ((await (await fetch(`${host.sandbox!.crm!.url}/_audit`)).json()) as { entries: { action: string; target: string; detail: Record<string, unknown> }[] }).entries;

  it('builds, records, dry-runs, saves and runs the map', async () => {
    const [recordOn] = await api<{ id: string }[]>('tickets.list', { query: RECORD.subject });
    const [ticket] = await api<{ id: string }[]>('tickets.list', { query: RUN.subject });
    expect(recordOn && ticket).toBeTruthy();

    // A new map from an empty file.
    await page.goto(`${host.url}/#/maps`);
    await page.getByLabel('New map id').fill('update_account_email');
    await page.getByRole('button', { name: 'New map' }).click();
    const builder = page.getByRole('region', { name: 'Map builder' });
    await builder.getByText('new: an empty file until saved').waitFor();
    await expect.poll(() => builder.getByRole('status', { name: 'Check' }).innerText()).toMatch(/problem/);

    await builder.getByLabel('Intent title').fill('Update account email');
    await builder.getByLabel('Description').first().fill('The customer wants the email address on their account changed.');
    await builder.getByLabel('Example phrases').fill('Please update my email address\nchange my account email\nI have a new email, can you update it on my account\nWants account moved to a new email');
    await builder.getByRole('button', { name: 'Add a field' }).click();
    const field = builder.locator('.fields-table tr').first();
    await field.getByLabel('Name').fill('new_email');
    await field.getByLabel('Type').selectOption('email');
    await field.getByLabel('Pattern').fill('(?:moved to|email to)\\s+([\\w.+]+@[\\w-]+(?:\\.[\\w-]+)+)');
    await field.getByLabel('Required').check();

    // The ticket to try on: its values become references when recording.
    await builder.getByLabel('Ticket to try on').selectOption(recordOn!.id);

    // A browser block, recorded against the demo CRM.
    await builder.getByRole('button', { name: /Use a web page/ }).click();
    const card = builder.locator('[data-step-card="browser"]');
    await card.getByLabel('Connector').selectOption('crm');
    await card.getByLabel('Start at (path)').fill('/customers');
    await card.getByRole('button', { name: 'Record actions' }).click();
    const recording = card.getByRole('status', { name: 'Recording' });
    await recording.waitFor({ timeout: 30_000 });

    const port = readFileSync(join(host.dataDir, 'browser-profiles', 'crm', 'DevToolsActivePort'), 'utf8').split('\n')[0];
    const associate = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    try {
      const crm = associate.contexts().flatMap((c) => c.pages()).find((p) => p.url().includes('/customers'));
      expect(crm, 'the recording page is open on the CRM').toBeDefined();
      await crm!.getByLabel('Search by name or email').fill(RECORD.old);
      await crm!.getByRole('button', { name: 'Search' }).click();
      await crm!.getByRole('link', { name: RECORD.old }).click();
      await crm!.getByRole('link', { name: 'Edit' }).click();
      await crm!.getByLabel('Email').fill(RECORD.next);
      await crm!.getByRole('button', { name: 'Save' }).click();
      await crm!.getByText('Saved.').waitFor();
    } finally {
      await associate.close();
    }
    await expect.poll(() => recording.locator('li').count(), { timeout: 10_000 }).toBe(7);
    // Recording is doing the task once, for real, on Jonas's account.
    expect((await crmAudit()).filter((e) => e.action === 'customer.updated').map((e) => e.detail.email)).toEqual([{ from: RECORD.old, to: RECORD.next }]);
    await recording.getByRole('button', { name: 'Stop recording' }).click();
    await recording.waitFor({ state: 'detached' });

    const values = await card.locator('.action-row input').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
    expect(values).toContain('{{ ticket.requester.email }}');
    expect(values, JSON.stringify(values)).toContain('{{ fields.new_email }}');
    expect(values).toContain('/customers');
    await expect.poll(() => builder.getByRole('status', { name: 'Check' }).innerText()).toBe('Ready to run');

    // Give the step a name a person reads.
    await card.getByLabel('Id', { exact: true }).fill('edit_crm');
    await builder.locator('[data-step-card="edit_crm"]').getByLabel('Title').fill('Change the email in the CRM');

    // Try it on Hannah's ticket: inputs resolved from it, the call simulated, nothing changed in the CRM.
    await builder.getByLabel('Ticket to try on').selectOption(ticket!.id);
    const auditBefore = (await crmAudit()).length;
    await builder.getByRole('button', { name: 'Try it (dry run)' }).click();
    const tried = builder.locator('[data-try-step="edit_crm"]');
    await tried.waitFor();
    expect(await tried.innerText()).toContain(`click the link “${RUN.old}”`);
    expect(await tried.innerText()).toContain(`type “${RUN.next}” into the field labelled “Email”`);
    expect(await tried.innerText()).toContain('would run');
    expect((await crmAudit()).length).toBe(auditBefore);

    // Save: the diff first, then the file, version 1.
    await builder.getByRole('button', { name: /^Review and save…/ }).click();
    const review = builder.getByRole('dialog', { name: 'Review the change' });
    await review.waitFor();
    expect(await review.locator('.diff').innerText()).toContain('+ id: update_account_email');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'map-builder.png'), fullPage: true });
    await review.getByRole('button', { name: 'Save version 1' }).click();
    await builder.getByText('Saved maps/update-account-email.yaml as version 1.').waitFor();
    const file = join(workspace, 'maps', 'update-account-email.yaml');
    expect(existsSync(file)).toBe(true);
    const saved = parse(readFileSync(file, 'utf8')) as { version: number; steps: { id: string; block: string; actions: unknown[] }[] };
    expect(saved.version).toBe(1);
    expect(saved.steps[0]).toMatchObject({ id: 'edit_crm', block: 'browser' });

    // Reload the app: the map is there, from the file.
    await page.reload();
    await page.goto(`${host.url}/#/maps`);
    const row = page.locator('tr[data-map-id="update_account_email"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('v1');

    // Run it for real on the ticket.
    await openAndConfirm(page, host.url, ticket!.id, 'Update account email');
    const run = page.getByRole('region', { name: 'Run' });
    await run.locator('li[data-step-id="edit_crm"][aria-current="step"]').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await expect.poll(() => run.locator('h2 .run-state').innerText(), { timeout: 60_000 }).toBe('Done');

    const updates = (await crmAudit()).filter((e) => e.action === 'customer.updated');
    expect(updates.map((e) => e.detail.email)).toEqual([
      { from: RECORD.old, to: RECORD.next },
      { from: RUN.old, to: RUN.next },
    ]);

    // The decision log is now the test set: replaying the saved map on it suggests what the associate accepted.
    await page.goto(`${host.url}/#/maps/update_account_email`);
    await builder.getByRole('button', { name: 'Replay' }).click();
    const replay = builder.getByLabel('History replay');
    await replay.waitFor();
    expect(await replay.innerText()).toContain('1 ticket · 1 step as the associate did · 0 different');
    expect((await crmAudit()).length).toBe(2); // the replay changed nothing
  });

  it('opens a step from a link, moves it with the keyboard, and saves only that move, comments and all', async () => {
    const file = join(workspace, 'maps', 'refund-request.yaml');
    const before = readFileSync(file, 'utf8');
    // A slow check (as on a loaded machine) must not swallow Ctrl+S: every check answers 1.5 s late.
    await page.route('**/api/maps.check', async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue();
    });
    await page.goto(`${host.url}/#/maps/refund_request?step=crm_note`);
    const builder = page.getByRole('region', { name: 'Map builder' });
    const card = builder.locator('[data-step-card="crm_note"]');
    await card.getByLabel('Id', { exact: true }).waitFor(); // the linked step's form is open
    expect(await card.getByLabel('Id', { exact: true }).inputValue()).toBe('crm_note');
    await card.focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(() => builder.locator('[data-step-card]').evaluateAll((els) => els.map((e) => e.getAttribute('data-step-card')).slice(-2))).toEqual(['reply', 'crm_note']);
    await page.keyboard.press('Control+s');
    const review = builder.getByRole('dialog', { name: 'Review the change' });
    await review.waitFor();
    await review.getByRole('button', { name: /^Save version/ }).click();
    await builder.getByText(/^Saved maps\/refund-request.yaml as version/).waitFor();
    const after = readFileSync(file, 'utf8');
    // The same lines, comments included, with the version bumped and the CRM note's block after the reply's.
    const sorted = (t: string) => t.split('\n').filter((l) => !l.startsWith('version:')).sort();
    expect(sorted(after)).toEqual(sorted(before));
    expect(after.indexOf('  - id: crm_note')).toBeGreaterThan(after.indexOf('  - id: reply'));
    expect(Number(/^version: (\d+)/m.exec(after)![1])).toBe(Number(/^version: (\d+)/m.exec(before)![1]) + 1);
    // Lets a check still held by the handler through first: unrouting under it fails its continue() later, in
    // whichever test runs then.
    await page.unrouteAll({ behavior: 'wait' });
  });

  it('asks before leaving unsaved changes, and keeps them when the associate stays', async () => {
    await page.goto(`${host.url}/#/maps/refund_request`);
    const builder = page.getByRole('region', { name: 'Map builder' });
    await builder.getByRole('status', { name: 'Check' }).waitFor();
    const steps = () => builder.locator('[data-step-card]').count();
    const before = await steps();
    await builder.locator('.palette-block[data-block="reply"]').click();
    await expect.poll(steps).toBe(before + 1);
    await builder.getByText(/unsaved changes/).waitFor();

    const asked: string[] = [];
    page.once('dialog', (d) => void (asked.push(d.message()), d.dismiss())); // Stay
    await page.getByRole('link', { name: 'Maps', exact: true }).first().click();
    await expect.poll(() => asked.length).toBe(1);
    expect(asked[0]).toMatch(/^refund_request has changes that are not saved\.\s+Leave and drop them\?$/);
    expect(page.url()).toMatch(/#\/maps\/refund_request$/);
    expect(await steps()).toBe(before + 1); // the work is still there

    page.once('dialog', (d) => void (asked.push(d.message()), d.accept())); // Leave
    await page.getByRole('link', { name: 'Maps', exact: true }).first().click();
    await page.locator('tr[data-map-id="refund_request"]').waitFor();
    expect(asked).toHaveLength(2);
  });

  it('gives the open step its room at 1280 and 1440 px wide: forms side by side, a whole reply in view, nothing scrolls sideways', async () => {
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${host.url}/#/maps/where_is_my_order?step=reply`);
      const builder = page.getByRole('region', { name: 'Map builder' });
      const card = builder.locator('[data-step-card="reply"]');
      // The label holds the value picker too, so the boxes are found by role and the start of their name.
      const reply = card.getByRole('textbox', { name: /^Reply/ });
      await reply.waitFor();
      const cardBox = (await card.boundingBox())!;
      const tryBox = (await builder.getByRole('complementary', { name: 'Try it' }).boundingBox())!;
      // The steps are the widest column, and the form uses it: Id and Title on one line, the reply across the card.
      expect(cardBox.width, `at ${width}px`).toBeGreaterThan(Math.max(640, tryBox.width * 1.5));
      const id = (await card.getByLabel('Id', { exact: true }).boundingBox())!;
      const title = (await card.getByLabel('Title', { exact: true }).boundingBox())!;
      expect(Math.abs(id.y - title.y)).toBeLessThan(2);
      expect((await card.getByRole('textbox', { name: /^Only when/ }).boundingBox())!.width).toBeGreaterThan(180);
      expect((await reply.boundingBox())!.width).toBeGreaterThan(cardBox.width * 0.7);
      expect(await reply.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true); // the whole template, no inner scrolling
      expect(await page.locator('html').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

      // A recorded browser step: every action's fields stay inside its card, its buttons at the right.
      await page.goto(`${host.url}/#/maps/refund_request?step=crm_note`);
      const crm = builder.locator('[data-step-card="crm_note"]');
      await crm.locator('.action-row').first().waitFor();
      const inside = await crm.evaluate((el) => {
        const edge = el.getBoundingClientRect().right;
        return [...el.querySelectorAll('input, select, textarea, button')].every((c) => c.getBoundingClientRect().right <= edge);
      });
      expect(inside, `at ${width}px`).toBe(true);
      expect(await page.locator('html').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);

      // After a dry run, long charge ids and idempotency keys wrap inside Try it instead of widening the page.
      const tryIt = builder.getByRole('complementary', { name: 'Try it' });
      await tryIt.getByLabel('Ticket to try on').selectOption('helpdesk:1196');
      await tryIt.getByRole('button', { name: 'Try it (dry run)' }).click();
      await tryIt.locator('[data-try-step="refund"]').waitFor({ timeout: 20_000 });
      const wide = await page.locator('html').evaluate((html) =>
        [...html.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > html.clientWidth + 1)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${Math.round(el.getBoundingClientRect().right)}`),
      );
      expect(wide, `at ${width}px`).toEqual([]);
      expect(await page.locator('html').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `map-builder-${width}.png`) });
    }
    await page.setViewportSize({ width: 1600, height: 1100 });
  });
});
