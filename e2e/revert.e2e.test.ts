// A reply Tandem sent on its own, marked as reverted from the ticket's run panel with the keyboard: the step shows it,
// the record has it once with the reason, and the step goes back to suggest (one bad run of one is beyond the bound).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, launchChromium, startHost, type Host } from './harness.ts';

type RunLite = { id: string; state: string; steps: { stepId: string; state: string }[] };

describe('Mark as reverted in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;
  let ticketId = '';
  let runId = '';
  const ws = mkdtempSync(join(tmpdir(), 'tandem-e2e-ws-'));

  async function call<T>(name: string, input: unknown): Promise<T> {
    const res = await fetch(`${host.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
    return body.value;
  }

  beforeAll(async () => {
    // A copy of the demo workspace: promoting and demoting edit a map file.
    cpSync(join(ROOT, 'resources', 'demo-workspace'), ws, { recursive: true });
    host = await startHost(['--workspace', ws]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await call('maps.setMode', { mapId: 'where_is_my_order', stepId: 'reply', mode: 'auto', reason: 'recommended on the evidence' });
    // The first where-is-my-order ticket whose reply Tandem sends on its own.
    for (const t of (await call<{ id: string; intent: string }[]>('tickets.list', {})).filter((x) => x.intent === 'where_is_my_order')) {
      const detail = await call<{ triage: { id: string; intent: string } }>('tickets.get', { id: t.id });
      await call('triage.decide', { decisionId: randomUUID(), ticketId: t.id, triageId: detail.triage.id, verdict: 'accepted', finalIntent: detail.triage.intent });
      let run: RunLite | null = null;
      for (let i = 0; i < 100; i++) {
        run = (await call<{ run: RunLite | null }>('tickets.get', { id: t.id })).run;
        if (run && run.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (run?.steps.find((s) => s.stepId === 'reply')?.state === 'done') {
        ticketId = t.id;
        runId = run.id;
        break;
      }
    }
    expect(ticketId).not.toBe('');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  it('marks the automatic reply as reverted with a reason, from the keyboard', async () => {
    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(ticketId)}`);
    const run = page.getByRole('region', { name: 'Run' });
    const reply = run.locator('li[data-step-id="reply"]');
    await reply.getByText(/Run automatically by Tandem/).waitFor({ timeout: 20_000 });
    // Keyboard only: focus the button, Enter opens the form with the reason box focused, Enter confirms.
    await reply.getByRole('button', { name: 'Mark as reverted…' }).focus();
    await page.keyboard.press('Enter');
    const form = reply.getByRole('form', { name: 'Mark as reverted' });
    await form.waitFor();
    expect(await form.innerText()).toMatch(/Tandem does not undo anything itself/);
    await expect.poll(() => form.locator('input').first().evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await page.keyboard.type('customer had cancelled; reply deleted in the helpdesk');
    await page.keyboard.press('Enter');
    await reply.getByTestId('reverted').waitFor();
    expect(await reply.getByTestId('reverted').innerText()).toMatch(/^Reverted by .+ — “customer had cancelled; reply deleted in the helpdesk”$/);
    expect(await reply.innerText()).toMatch(/reverted by .+: customer had cancelled; reply deleted in the helpdesk/); // the step's note
    expect(await reply.getByRole('button', { name: 'Mark as reverted…' }).count()).toBe(0); // once
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'revert-run.png'), fullPage: true });

    const review = await call<{ total: number; items: { kind: string; runId: string; reason: string }[] }>('review.list', { verdict: 'reverted' });
    expect(review.total).toBe(1);
    expect(review.items[0]).toMatchObject({ kind: 'revert', runId, reason: 'customer had cancelled; reply deleted in the helpdesk' });
    // 1 bad run of 1 automatic run: back to suggest, with the notice in Insights.
    expect(readFileSync(join(ws, 'maps', 'where-is-my-order.yaml'), 'utf8')).not.toMatch(/mode: auto/);
    await page.goto(`${host.url}/#/insights`);
    await page.getByRole('alert').filter({ hasText: 'Tandem put where_is_my_order · reply back to suggest' }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'back to suggest' }).innerText()).toMatch(/1 reverted by hand/);
    const row = page.getByRole('row').filter({ hasText: 'where_is_my_order · reply' });
    expect(await row.innerText()).toContain('1 / 0\t1 · 100% (≥ 20.7%)'); // 1 automatic run, none failed; 1 reverted: 100%, at least 20.7% at 95%
  });
});
