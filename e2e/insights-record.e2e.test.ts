// Insights in the real UI, on a day of work done through the API: the steps table with its shadow column, the chart
// over time, the review (turning an edit into a triage example), the Export dialog's download, and promoting a step
// the record recommends for auto.
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, ROOT, launchChromium, startHost, type Host } from './harness.ts';

type RunLite = { id: string; state: string; steps: { stepId: string; state: string; suggested: Record<string, unknown> | null }[] };

describe('Insights: trends, review and export in the real UI', () => {
  let host: Host;
  let browser: Browser;
  let page: Page;
  const ws = mkdtempSync(join(tmpdir(), 'tandem-e2e-ws-'));

  async function call<T>(name: string, input: unknown): Promise<T> {
    const res = await fetch(`${host.url}/api/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
    const body = (await res.json()) as { ok: boolean; value: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.message}`);
    return body.value;
  }

  beforeAll(async () => {
    // A copy of the demo workspace: adding a triage example edits a map file.
    cpSync(join(ROOT, 'resources', 'demo-workspace'), ws, { recursive: true });
    // A short window, so six verdicts can make a recommendation: the reply's last four are taken as suggested, and
    // 4 of 4 is at least 51% at 95%.
    appendFileSync(join(ws, 'tandem.yaml'), 'graduation:\n  threshold: 0.5\n  window: 4\n  min_samples: 4\n');
    host = await startHost(['--workspace', ws]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
    // The associate's morning: confirm where-is-my-order tickets; edit the first two replies, accept the rest.
    const tickets = (await call<{ id: string; intent: string }[]>('tickets.list', {})).filter((t) => t.intent === 'where_is_my_order');
    let replies = 0;
    for (const t of tickets) {
      if (replies === 6) break;
      const detail = await call<{ triage: { id: string; intent: string } }>('tickets.get', { id: t.id });
      await call('triage.decide', { decisionId: randomUUID(), ticketId: t.id, triageId: detail.triage.id, verdict: 'accepted', finalIntent: detail.triage.intent });
      let run: RunLite | null = null;
      for (let i = 0; i < 50; i++) {
        run = (await call<{ run: RunLite | null }>('tickets.get', { id: t.id })).run;
        if (run && run.state !== 'running') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const reply = run?.steps.find((s) => s.stepId === 'reply');
      if (!run || run.state !== 'waiting' || reply?.state !== 'awaiting_verdict') continue;
      const edit = replies < 2;
      await call('runs.decide', {
        runId: run.id, stepId: 'reply', decisionId: randomUUID(), verdict: edit ? 'edited' : 'accepted', decisionMs: 3000,
        ...(edit ? { inputs: { ...reply.suggested, body: `${String(reply.suggested?.body)}\nSorry for the wait, "truly".` }, reason: 'apology, as the customer waited, twice' } : {}),
      });
      replies++;
    }
    expect(replies).toBe(6);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    rmSync(ws, { recursive: true, force: true });
  });

  it('shows the steps, the chart over time, and the review; an edit becomes a triage example', async () => {
    await page.goto(`${host.url}/#/insights`);
    const row = page.getByRole('row').filter({ hasText: 'where_is_my_order · reply' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/66\.7%/); // 4 of 6 as suggested

    await page.getByRole('button', { name: 'Over time' }).click();
    const chart = page.getByRole('img', { name: /Verdicts per day and steps taken as suggested/ });
    await chart.waitFor();
    expect(await page.locator('.trend-line').count()).toBe(1);
    // The chart takes the panel's width, and is drawn again when the window changes size; its labels stay at 12px.
    const widths = async () => [(await chart.boundingBox())!.width, (await page.locator('.trend-box').boundingBox())!.width];
    const [svgWide, boxWide] = await widths();
    expect(svgWide).toBeGreaterThan(1300);
    expect(Math.abs(svgWide! - boxWide!)).toBeLessThanOrEqual(1);
    await page.setViewportSize({ width: 1000, height: 1000 });
    await expect.poll(async () => (await widths())[0]).toBeLessThan(1000);
    const [svgNarrow, boxNarrow] = await widths();
    expect(Math.abs(svgNarrow! - boxNarrow!)).toBeLessThanOrEqual(1);
    await page.setViewportSize({ width: 1440, height: 1000 });
    await expect.poll(async () => (await widths())[0]).toBe(svgWide);
    expect((await chart.locator('.trend-axis').first().boundingBox())!.height).toBeGreaterThanOrEqual(12);
    await page.getByText('The figures').click();
    expect(await page.locator('.trend table tbody tr').first().innerText()).toMatch(/66\.7% \(≥ \d+(\.\d)?%\) of 6/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'insights-trends.png'), fullPage: true });

    await page.getByRole('button', { name: 'Review' }).click();
    const cards = page.locator('.review-card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    const card = cards.first();
    expect(await card.innerText()).toMatch(/apology, as the customer waited, twice/);
    // What the associate changed, value by value: only the body differs, each side whole and wrapped as text.
    const changes = card.getByRole('table', { name: 'What changed' });
    const bodyRow = changes.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'body' }) });
    expect(await changes.locator('tbody tr').count()).toBe(1);
    const [suggestedBody, sentBody] = await bodyRow.getByRole('cell').allInnerTexts();
    expect(suggestedBody).not.toContain('Sorry for the wait');
    expect(sentBody).toMatch(/\nSorry for the wait, "truly"\.$/);
    expect(sentBody!.startsWith(suggestedBody!.trimEnd())).toBe(true);
    // Its lines kept and wrapped in the cell, not one long line to scroll.
    expect((await bodyRow.locator('.review-value').last().boundingBox())!.height).toBeGreaterThan(80);
    expect(await card.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The whole of both sides as JSON, one click away.
    const json = card.locator('details.review-json');
    expect(await json.getAttribute('open')).toBeNull();
    await json.getByText('The whole suggestion and what was sent, as JSON').click();
    expect(await json.locator('pre').nth(1).innerText()).toMatch(/^\{\n {2}"public": true,\n {2}"body": "Hi .*Sorry for the wait, \\"truly\\"\.",\n {2}"status": "solved"\n\}$/s);
    expect(await card.getByRole('link', { name: 'Open the map at this step' }).getAttribute('href')).toBe('#/maps/where_is_my_order?step=reply');
    await card.getByRole('button', { name: 'Make it a triage example…' }).click();
    const phrase = await card.getByLabel('Example phrase').inputValue();
    expect(phrase.length).toBeGreaterThan(3);
    await card.getByRole('button', { name: 'Add to the map' }).click();
    await page.getByRole('status').filter({ hasText: 'is now an example of where_is_my_order' }).waitFor();
    expect(readFileSync(join(ws, 'maps', 'where-is-my-order.yaml'), 'utf8')).toContain(`    - ${JSON.stringify(phrase)}\n`);
    await page.screenshot({ path: join(ARTIFACTS, 'insights-review.png'), fullPage: true });
  });

  it('exports the edits as a CSV download from the Export dialog', async () => {
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export the decisioning record' });
    await dialog.getByLabel('Verdict').selectOption('edited');
    await dialog.getByLabel('Map').selectOption('where_is_my_order');
    await dialog.getByLabel('Step').selectOption('reply');
    await page.screenshot({ path: join(ARTIFACTS, 'insights-export.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('link', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^tandem-decisions-\d{4}-\d{2}-\d{2}\.csv$/);
    const file = join(host.dataDir, 'download.csv');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(bytes, { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.verdict === 'edited' && r.step_id === 'reply')).toBe(true);
    expect(rows[0]!.reason).toBe('apology, as the customer waited, twice');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  it('promotes a recommended step from a confirmation beside its button, and shows it running automatically at once', async () => {
    await page.goto(`${host.url}/#/insights`);
    await page.getByRole('button', { name: 'Steps' }).click();
    const row = page.getByRole('row').filter({ hasText: 'where_is_my_order · reply' });
    const open = row.getByRole('button', { name: /Promote/ });
    await open.waitFor();
    // The evidence is on the card once.
    const evidence = 'taken as suggested 4 of the last 4 times';
    expect((await row.innerText()).split(evidence).length - 1).toBe(1);

    const buttonBox = (await open.boundingBox())!;
    await open.click();
    const form = row.getByRole('form', { name: 'Promote where_is_my_order · reply to auto' });
    await form.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'insights-promote.png'), fullPage: true });
    // Beside the button that opened it (in the step's own cell, starting where the button was), and ready to type in.
    const formBox = (await form.boundingBox())!;
    expect(Math.abs(formBox.y - buttonBox.y)).toBeLessThan(40);
    expect(Math.abs(formBox.x - buttonBox.x)).toBeLessThan(40);
    const reason = form.getByLabel(/Why promote/);
    await expect.poll(() => reason.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    expect((await row.innerText()).split(evidence).length - 1).toBe(1); // still once with the confirmation open

    // Escape leaves it as it was, and gives the keyboard back to the button.
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    await expect.poll(() => open.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);

    // Enter promotes: the row says it runs automatically, and there is nothing left to promote.
    await open.click();
    await reason.fill('4 of 4 as suggested; the carrier text is settled');
    await page.keyboard.press('Enter');
    await row.getByText('runs automatically').waitFor();
    expect(await row.getByRole('button', { name: /Promote/ }).count()).toBe(0);
    expect(readFileSync(join(ws, 'maps', 'where-is-my-order.yaml'), 'utf8')).toMatch(/- id: reply\n {4}block: reply\n {4}mode: auto\n/);
    // …and stays so when the page is loaded again.
    await page.reload();
    await row.getByText('runs automatically').waitFor();
    expect(await row.getByRole('button', { name: /Promote/ }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'insights-promoted.png'), fullPage: true });
  });

  it('says once, above the views, that the host is not answering, and picks up by itself when it is back on its port', async () => {
    await page.goto(`${host.url}/#/insights`);
    await page.getByRole('button', { name: 'Review' }).click();
    await page.locator('.review-card').first().waitFor();
    const port = new URL(host.url).port;
    const banner = page.getByRole('alert').filter({ hasText: 'Tandem’s host is not answering' });

    // The host stops (a closed terminal, a crash): the event stream drops and the banner comes without a click.
    const exited = new Promise((r) => host.process.once('exit', r));
    host.process.kill('SIGTERM');
    await exited;
    await banner.waitFor();
    expect(await page.locator('.host-down').innerText()).toContain(`tandem serve --port ${port}`);

    // Views that load now wait under it quietly; the message is on the screen once, whatever tried to load.
    await page.getByRole('button', { name: 'Over time' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByText('Waiting for Tandem’s host').waitFor();
    expect(await page.getByText(/host is not answering/).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'insights-host-down.png'), fullPage: true });
    await page.getByRole('button', { name: 'Steps' }).click();
    await page.getByText('Waiting for Tandem’s host').waitFor();
    expect(await page.getByText(/host is not answering/).count()).toBe(1);

    // Back on the same port with the same data: the banner goes and the steps load again by themselves.
    host = await startHost(['--workspace', ws, '--port', port], {}, { dataDir: host.dataDir });
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await page.getByRole('row').filter({ hasText: 'where_is_my_order · reply' }).getByText('runs automatically').waitFor();
    expect(await page.getByText('Waiting for Tandem’s host').count()).toBe(0);
  }, 60_000);
});
