// A refund over $200 in the real UI: it waits for a lead, the lead approves it from Escalations, the associate then
// edits the amount — which goes back to the lead, because the approval covered the amount the lead saw — and Payments
// refunds exactly the amount approved the second time. An edit above the charge is refused with the policy's reason.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, actAs, launchChromium, openAndConfirm, startHost, type Host } from './harness.ts';

const TICKET = 'helpdesk:1196'; // "Phone: refund request 102969": a $303.00 order, "needs supervisor OK given the amount"

describe('approvals in the real UI', () => {
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

  it('asks the lead again when the associate edits an approved refund, and refunds exactly what the lead approved', async () => {
    await actAs(page, host.url, 'Ann Associate');
    await openAndConfirm(page, host.url, TICKET, 'Refund request');
    const run = page.getByRole('region', { name: 'Run' });
    const refund = run.locator('li[data-step-id="refund"]');
    await expect.poll(() => refund.locator('.step-state').innerText(), { timeout: 20_000 }).toBe('Waiting for a lead');
    // Meanwhile the associate may change, skip or escalate it, but Enter does not accept it past the lead.
    await refund.getByText(/Waiting for a lead’s answer/).waitFor();
    expect(await run.locator('h2 .run-state').innerText()).toBe('Waiting for a lead'); // not "Waiting for you"
    // The amount in cents reads as money where the associate checks it.
    expect(await refund.locator('pre').first().innerText()).toContain('"amount": 30300,  = $303.00');
    await page.keyboard.press('Enter');
    expect((await audit('payments')).filter((e) => e.action === 'refund.created')).toHaveLength(0);

    // The lead sees who, what and how long, and approves 303.00 USD with Enter.
    await page.goto(`${host.url}/#/escalations`);
    const card = page.getByRole('article', { name: 'Phone: refund request 102969' });
    await card.waitFor();
    expect(await card.innerText()).toContain('Lisa Hill <lisa.hill@post.example.org>');
    expect(await card.locator('dl.facts').innerText()).toMatch(/order id\s+102969/);
    expect(await card.locator('pre').first().innerText()).toContain('"amount": 30300,  = $303.00');
    // Tandem's own suggestion is not an edit by the associate.
    expect(await card.innerText()).not.toContain('The associate edited');
    // Four eyes: the associate who started the run cannot approve it.
    await card.getByLabel('Note (optional)').fill('late delivery, refund in full');
    await page.keyboard.press('Enter');
    await page.getByText('Ann Associate started this run, so Ann Associate cannot also approve "Refund the charge in Payments": an approval is a second person’s.').waitFor();
    await actAs(page, host.url, 'Lee Lead');
    await page.goto(`${host.url}/#/escalations`);
    await card.getByLabel('Note (optional)').fill('late delivery, refund in full');
    await page.keyboard.press('Enter');
    await card.waitFor({ state: 'detached' });
    await actAs(page, host.url, 'Ann Associate');

    // Back at the ticket, the associate edits the amount: above the charge is refused and nothing is sent…
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(TICKET)}`);
    await run.locator('li[data-step-id="refund"][aria-current="step"]').waitFor({ timeout: 20_000 });
    // E opens the step as a form: the amount is a box of its own, and the associate says why (the lead reads it).
    const editTo = async (cents: number) => {
      await page.keyboard.press('e');
      const form = run.getByRole('form', { name: 'Edit the step' });
      // The box the associate came for has the focus, says it is in cents, and shows the dollars as they type.
      const amount = form.getByRole('textbox', { name: /^body › amount \(cents\)/ });
      await expect.poll(() => amount.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      await amount.fill(String(cents));
      await expect.poll(() => form.locator('.money-hint').innerText()).toBe(`= $${(cents / 100).toFixed(2)}`);
      await form.getByLabel(/^Why change it\?/).fill('customer keeps the stand');
      await expect.poll(() => form.innerText()).toContain(`Changed: body › amount (cents): 30300 → ${cents}`);
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: join(ARTIFACTS, 'edit-form.png'), fullPage: true });
      await page.keyboard.press('Enter');
    };
    await editTo(40000);
    await run.getByText(/Your edit of step "Refund the charge in Payments" breaks policy refund_exceeds_charge: The refund is larger than what is left on the charge\./).waitFor();
    expect((await audit('payments')).filter((e) => e.action === 'refund.created')).toHaveLength(0);

    // …and a smaller amount than the one approved goes back to the lead, with exactly what would be sent.
    await page.keyboard.press('Escape');
    await editTo(25000);
    await expect.poll(() => refund.locator('.step-state').innerText()).toBe('Waiting for a lead');
    await run.getByRole('form', { name: 'Edit the step' }).waitFor({ state: 'detached' }); // the form closes once taken
    expect((await audit('payments')).filter((e) => e.action === 'refund.created')).toHaveLength(0);
    await actAs(page, host.url, 'Lee Lead');
    await page.goto(`${host.url}/#/escalations`);
    await card.waitFor();
    expect(await card.innerText()).toContain('The associate edited Tandem’s suggestion');
    expect(await card.getByRole('list', { name: 'What the associate changed' }).innerText()).toBe('body › amount: 30300 (= $303.00) → 25000 (= $250.00)');
    expect(await card.innerText()).toContain('waits for a lead: “customer keeps the stand”');
    expect(await card.getByLabel('What would be sent').innerText()).toContain('"amount": 25000');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'approval-of-an-edit.png'), fullPage: true });
    await card.getByRole('button', { name: /^Approve/ }).click();
    await card.waitFor({ state: 'detached' });
    await actAs(page, host.url, 'Ann Associate');

    // The associate accepts what the lead approved: Payments refunds 250.00 USD once.
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(TICKET)}`);
    await run.locator('li[data-step-id="refund"][aria-current="step"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => refund.locator('pre').first().innerText()).toContain('"amount": 25000');
    await page.keyboard.press('Enter');
    await run.locator('li[data-step-id="crm_note"][aria-current="step"]').waitFor({ timeout: 20_000 });
    // The note quotes what Payments refunded, not the first suggestion.
    await expect.poll(() => run.locator('li[data-step-id="crm_note"] pre').first().innerText()).toContain('Type “Refunded 250.00 USD on order 102969');
    const refunds = (await audit('payments')).filter((e) => e.action === 'refund.created');
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.detail).toMatchObject({ amount: 25000 });
  });
});

describe('a lead’s card on a refund that also asks a question', () => {
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

  it('shows the associate’s question beside the approval, and after a rejection makes changing it the main action', async () => {
    await actAs(page, host.url, 'Ann Associate');
    const found = (await (await fetch(`${host.url}/api/tickets.list`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'Partial refund, order 100782' }) })).json()) as { value: { id: string; subject: string }[] };
    const ticket = found.value[0]!;
    await openAndConfirm(page, host.url, ticket.id, 'Refund request');
    const run = page.getByRole('region', { name: 'Run' });
    const refund = run.locator('li[data-step-id="refund"]');
    await expect.poll(() => refund.locator('.step-state').innerText(), { timeout: 20_000 }).toBe('Waiting for a lead');

    // The lead rejects it: the associate is asked to change, skip or escalate it, and Edit is the main action.
    await actAs(page, host.url, 'Lee Lead');
    await page.goto(`${host.url}/#/escalations`);
    const card = page.getByRole('article', { name: ticket.subject });
    await card.getByLabel('Note (optional)').fill('refund after the pickup');
    await card.getByRole('button', { name: 'Reject' }).click();
    await card.waitFor({ state: 'detached' });
    await actAs(page, host.url, 'Ann Associate');
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(ticket.id)}`);
    await refund.getByText(/change it \(E\), skip it \(S\) or escalate \(X\)/).waitFor({ timeout: 20_000 });
    expect(await refund.locator('button.primary').innerText()).toMatch(/^Edit/);
    expect(await refund.getByRole('button', { name: 'Accept as it is' }).count()).toBe(1);

    // The associate asks Tandem's suggestion again: the lead's card does not call it an edit.
    await refund.getByRole('button', { name: 'Accept as it is' }).click();
    await expect.poll(() => refund.locator('.step-state').innerText(), { timeout: 20_000 }).toBe('Waiting for a lead');
    // …and escalates with a question while it waits: the lead sees the question on the approval card.
    await page.keyboard.press('x');
    await run.getByLabel(/^Why escalate\?/).fill('Customer wants a pickup first; refund now or after?');
    await page.keyboard.press('Enter');
    await expect.poll(() => run.locator('h2 .run-state').innerText(), { timeout: 20_000 }).toBe('Escalated');
    await page.goto(`${host.url}/#/escalations`);
    await card.waitFor();
    expect(await card.locator('.escalation-reason').innerText()).toContain('Customer wants a pickup first; refund now or after?');
    expect(await card.innerText()).toContain('Refund the charge in Payments needs approval');
    expect(await card.innerText()).not.toContain('The associate edited');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'approval-with-question.png'), fullPage: true });
  });
});
