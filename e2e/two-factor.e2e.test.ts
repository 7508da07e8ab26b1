// Two-step sign-in (2FA) in the real UI: with TANDEM_SANDBOX_2FA=1 the demo CRM asks for a one-time code, the prompt
// above every screen names it, a wrong code is asked again, the right one (from the sandbox's stand-in phone) lets the
// step finish, the next CRM step keeps the session, "I'll sign in by hand" hands a step over, and no code is kept anywhere.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_CREDENTIALS } from '../resources/sandbox/crm.ts';
import { ARTIFACTS, ROOT, launchChromium, openAndConfirm, startHost, type Host } from './harness.ts';

const REFUND = 'helpdesk:1184'; // "Rückerstattung": a $34.00 refund of order 103862, then a CRM note
const EMAIL = 'helpdesk:1124'; // Hannah Nelson: hannah.nelson@example.net → hannah.nelson.218@example.com in the CRM
const DECLINED = 'helpdesk:1192'; // Julien Mercier: mercier.julien@example.com → mercier.julien@example.net in the CRM

interface Pending {
  id: string;
  connector: string;
  prompt: string;
  attempt: number;
  stepId: string | null;
  ticketId: string | null;
}

describe('two-step sign-in (2FA) in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;
  /** Every response body of the API the page asked (the event stream aside) and every event it was sent. */
  const responses: { url: string; body: Promise<string> }[] = [];
  const events: { name: string; data: string }[] = [];
  /** What the page sent with browser.code: the one place a code is meant to travel. */
  const sent: string[] = [];
  /** Codes typed into the prompt: the wrong one and the right one. */
  const typed: string[] = [];
  /** A code as a number of its own: not six digits inside a longer number, a hex id or base64. */
  const holds = (text: string, code: string) => new RegExp(`(?<![0-9A-Za-z])${code}(?![0-9A-Za-z])`).test(text);
  /** Six-digit numbers the demo shows anyway (order ids, the UI's examples): finding one of them proves no leak. */
  const background = new Set(
    [join(ROOT, 'resources', 'sandbox', 'data'), join(ROOT, 'resources', 'demo-workspace', 'tickets'), join(ROOT, 'out', 'renderer', 'assets')]
      .flatMap((dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => readFileSync(join(dir, e.name)).toString('latin1')))
      .flatMap((text) => text.match(/(?<![0-9A-Za-z])\d{6}(?![0-9A-Za-z])/g) ?? []),
  );

  beforeAll(async () => {
    host = await startHost([], { TANDEM_SANDBOX_2FA: '1' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/') && !r.url().includes('/api/events')) responses.push({ url: r.url(), body: r.text().catch(() => '') });
    });
    page.on('request', (r) => {
      if (r.url().endsWith('/api/browser.code')) sent.push(r.postData() ?? '');
    });
    // The event stream is read where Chromium receives it, whether or not the page listens for that event.
    const cdp = await page.context().newCDPSession(page);
    cdp.on('Network.eventSourceMessageReceived', (m) => events.push({ name: m.eventName, data: m.data }));
    await cdp.send('Network.enable');
  });
  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  });

  const crm = () => host.sandbox!.crm!.url;
  const audit = async () => ((await (await fetch(`${crm()}/_audit`)).json()) as { entries: { action: string; target: string; detail: Record<string, unknown> }[] }).entries;
  /** The associate's authenticator: the code of the demo account's latest sign-in. */
  const phone = async () => ((await (await fetch(`${crm()}/_otp?user=${CRM_CREDENTIALS.username}`)).json()) as { code?: string }).code;
  /** The code requests the page heard of, each once, in order. */
  const asked = () => [
    ...new Map(events.filter((e) => e.name === 'browser.codes').flatMap((e) => (JSON.parse(e.data) as { pending: Pending[] }).pending.map((p) => [p.id, p] as const))).values(),
  ];

  const run = () => page.getByRole('region', { name: 'Run' });
  const current = (stepId: string) => run().locator(`li[data-step-id="${stepId}"][aria-current="step"]`);
  const prompt = () => page.getByRole('alertdialog', { name: 'One-time code needed' });

  /** Opens a ticket and confirms (or changes) its triage to this intent, as refund-run.e2e does. */
  const triageAs = (ticket: string, intent: string) => openAndConfirm(page, host.url, ticket, intent);

  it('asks for the CRM code, refuses a wrong one and asks again, and finishes the step with the right one', async () => {
    expect(host.sandbox?.crm).toBeTruthy();
    await triageAs(REFUND, 'Refund request');
    await current('refund').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await current('crm_note').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');

    // The step signs in; the CRM wants a code; the prompt above the screen names the CRM, the ticket and the step.
    const form = prompt().locator('form.code-prompt');
    await form.getByText('CRM is waiting for a one-time code (ticket helpdesk:1184, step crm_note).').waitFor({ timeout: 30_000 }); // Chromium starts first
    await form.getByText(/CRM asks for the one-time code from your authenticator app\./).waitFor();
    // Meanwhile the step shows as running, not as still waiting for the associate's call.
    await expect.poll(() => run().locator('li[data-step-id="crm_note"] .step-state').innerText()).toMatch(/^Running… · (just started|\d+\.\d s|\d+ min)/); // with its time so far
    expect(await run().locator('h2 .run-state').innerText()).toBe('Running');
    const code = await phone();
    expect(code).toMatch(/^\d{6}$/);
    let wrong = 987_654;
    while (String(wrong) === code || background.has(String(wrong))) wrong--;
    typed.push(String(wrong), code!);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'two-factor-prompt.png') });

    // A wrong code, typed straight away (the prompt takes the focus): the CRM refuses it and the prompt asks again, as attempt 2.
    const input = () => form.getByLabel('One-time code');
    await expect.poll(() => input().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type(String(wrong));
    await page.keyboard.press('Enter');
    await form.getByText(/CRM did not accept that code; enter the current one\./).waitFor({ timeout: 20_000 });
    await expect.poll(() => asked().map((p) => [p.connector, p.attempt, p.ticketId, p.stepId])).toEqual([
      ['CRM', 1, REFUND, 'crm_note'],
      ['CRM', 2, REFUND, 'crm_note'],
    ]);
    expect(await phone()).toBe(code); // the same sign-in still waits: no second code was sent

    // The question waits in the core, not the page: after a reload it is still there, and on the inbox too.
    await page.reload();
    await form.getByText(/CRM did not accept that code; enter the current one\./).waitFor();
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.locator('tbody tr').first().waitFor();
    await form.getByText('CRM is waiting for a one-time code (ticket helpdesk:1184, step crm_note).').waitFor();
    expect(new URL(page.url()).hash).toBe('#/');
    // The right code: the prompt goes away and the note is written.
    await input().fill(code!);
    await input().press('Enter');
    await expect.poll(() => prompt().count(), { timeout: 20_000 }).toBe(0);
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(REFUND)}`);
    await current('reply').waitFor({ timeout: 20_000 });
    expect(await run().locator('li[data-step-id="crm_note"] .step-state').innerText()).toMatch(/^Done/);
    const notes = (await audit()).filter((e) => e.action === 'customer.note_added');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.detail.text).toMatch(/^Refunded 34\.00 USD on order 103862 /);
    await page.keyboard.press('Enter');
    await expect.poll(() => run().locator('h2 .run-state').innerText(), { timeout: 20_000 }).toBe('Done');
  });

  it('keeps the CRM session: the next CRM step on another ticket asks for no code', async () => {
    const before = asked().length;
    const code = await phone();
    await triageAs(EMAIL, 'Update account email');
    await current('edit_crm').waitFor({ timeout: 20_000 });
    await expect.poll(() => run().locator('li[data-step-id="edit_crm"] pre').first().innerText()).toContain('hannah.nelson.218@example.com');
    await page.keyboard.press('Enter');
    await current('reply').waitFor({ timeout: 20_000 });
    expect(asked().length).toBe(before); // no code request at all
    expect(await phone()).toBe(code); // and no new sign-in on the CRM's side
    const updated = (await audit()).filter((e) => e.action === 'customer.updated');
    expect(updated.map((e) => [e.target, (e.detail.email as { to: string }).to])).toEqual([['customer:cus_0218', 'hannah.nelson.218@example.com']]);
  });

  it('hands the step over when the associate would rather sign in by hand', async () => {
    const ended = await fetch(`${crm()}/_sessions/end`, { method: 'POST' }); // the CRM forgets every session
    expect(ended.ok).toBe(true);
    const auditBefore = (await audit()).length;
    await triageAs(DECLINED, 'Update account email');
    await current('edit_crm').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const form = prompt().locator('form.code-prompt');
    await form.getByText('CRM is waiting for a one-time code (ticket helpdesk:1192, step edit_crm).').waitFor({ timeout: 20_000 });
    await form.getByRole('button', { name: 'I’ll sign in by hand' }).click();
    await expect.poll(() => prompt().count()).toBe(0);
    const step = run().locator('li[data-step-id="edit_crm"]');
    await step.getByText("CRM's one-time code was not given; the step is yours.").waitFor({ timeout: 20_000 });
    await step.getByText(/Sign in to CRM by hand, do the step, and mark it done \(H\)\./).waitFor();
    await current('edit_crm').waitFor(); // still the associate's to do
    // Like any failed step, it escalates the run (a lead sees it) — the associate may still finish it.
    expect(await run().locator('h2 .run-state').innerText()).toBe('Escalated');
    expect((await audit()).length).toBe(auditBefore); // nothing changed in the CRM
    await page.screenshot({ path: join(ARTIFACTS, 'two-factor-declined.png') });
    // Done by hand in the CRM, the associate says so (H), and the run goes on to the reply.
    await page.keyboard.press('h');
    await current('reply').waitFor({ timeout: 20_000 });
    expect(await run().locator('li[data-step-id="edit_crm"]').innerText()).toContain('done by hand');
  });

  it('keeps the typed codes out of SQLite, the host output, exports, and everything the page received', async () => {
    expect(typed).toHaveLength(2);
    const places: [string, string][] = [];
    // Every file Tandem wrote: the database with its WAL, logs, screenshots, and Chromium's profile for the CRM.
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
    const files = walk(host.dataDir);
    expect(files.some((f) => f.endsWith('tandem.db'))).toBe(true);
    for (const file of files) if (statSync(file).size < 50_000_000) places.push([file, readFileSync(file).toString('latin1')]);
    places.push(['host output', host.output()]);
    // The decisioning record as the Export dialog downloads it (`tandem export` writes the same rows).
    for (const format of ['csv', 'jsonl']) places.push([`export ${format}`, await (await fetch(`${host.url}/api/export?format=${format}`)).text()]);
    expect(places.at(-1)![1]).toContain('crm_note');
    for (const r of responses) places.push([`response ${new URL(r.url).pathname}`, await r.body]);
    for (const e of events) places.push([`event ${e.name}`, e.data]);
    places.push(['page', await page.content()]);
    expect(responses.some((r) => r.url.endsWith('/api/browser.code'))).toBe(true);
    expect(events.filter((e) => e.name === 'browser.codes').length).toBeGreaterThanOrEqual(4);

    // The page did send each code, once: the one place a code travels, and proof the search below would see it.
    expect(typed.map((c) => sent.filter((body) => holds(body, c)).length)).toEqual([1, 1]);
    const leaks = places.flatMap(([where, text]) => typed.filter((c) => !background.has(c) && holds(text, c)).map((c) => `${where} holds the ${c === typed[0] ? 'wrong' : 'right'} code`));
    expect(leaks).toEqual([]);
    // About 1 run in 10,000 the CRM's random code is a number the demo shows anyway (an order id); then only the
    // typed wrong code, which is chosen to be unlike any of them, is searched for.
    expect(background.has(typed[0]!)).toBe(false);
  });
});
