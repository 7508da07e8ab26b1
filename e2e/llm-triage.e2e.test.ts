// The LLM path end to end: `tandem serve` pointed at the OpenAI-compatible test server triages the demo queue in the
// background; the ticket screen shows the model's reading (sources, tokens) and Settings shows the model in use.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelAnswer } from '../src/testing/demo-model.ts';
import { startOpenAiServer, type OpenAiServer } from '../src/testing/openai-server.ts';
import { ARTIFACTS, launchChromium, startHost, type Host } from './harness.ts';

describe('LLM triage in the real UI', () => {
  let llm: OpenAiServer;
  let host: Host;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    llm = await startOpenAiServer({ script: (req) => demoModelAnswer(req) });
    const before = process.env.TANDEM_LLM_BASE_URL;
    process.env.TANDEM_LLM_BASE_URL = llm.baseUrl; // the host inherits it
    try {
      host = await startHost();
    } finally {
      if (before === undefined) delete process.env.TANDEM_LLM_BASE_URL;
      else process.env.TANDEM_LLM_BASE_URL = before;
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await llm?.close();
  });

  it('reads the tickets the local model is unsure of with the model, and shows its reading', async () => {
    await page.goto(host.url);
    await expect.poll(() => page.locator('tbody tr').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    // The queue works in the background: wait until the model's readings are in the store.
    const db = new Database(join(host.dataDir, 'tandem.db'), { readonly: true, fileMustExist: true });
    const llmRead = () => db.prepare("SELECT ticket_id AS id, prompt_tokens AS tokens FROM triage WHERE model LIKE 'llm:%' AND json_extract(details, '$.sources.order_id') IS NOT NULL ORDER BY created_at LIMIT 1").get() as { id: string; tokens: number } | undefined;
    await expect.poll(() => llmRead(), { timeout: 60_000, interval: 250 }).toBeTruthy();
    const { id, tokens } = llmRead()!;
    expect(tokens).toBeGreaterThan(0);
    expect(llm.requests.length).toBeGreaterThan(0);
    db.close();

    await page.goto(`${host.url}/#/tickets/${encodeURIComponent(id)}`);
    const triage = page.getByRole('region', { name: 'Triage' });
    await expect.poll(() => triage.innerText(), { timeout: 15_000 }).toMatch(/llm:tandem-test@127\.0\.0\.1/);
    await expect.poll(() => triage.innerText()).toMatch(/order_id from “?order \d{6}/);
    await expect.poll(() => triage.innerText()).toMatch(/\d+ tokens \(\d+ in, \d+ out\) in 1 call/);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ticket-llm-reading.png') });

    await page.goto(`${host.url}/#/settings`);
    const panel = page.getByRole('region', { name: 'Triage model' });
    await expect.poll(() => panel.getByTestId('triage-model').innerText(), { timeout: 15_000 }).toMatch(/^llm:tandem-test@/);
    await expect.poll(() => panel.innerText()).toMatch(/TANDEM_LLM_BASE_URL/);
    await page.screenshot({ path: join(ARTIFACTS, 'settings-llm.png') });
    // The model never saw a key: none is configured, and a server on this machine needs none.
    for (const r of llm.requests) expect(r.headers.authorization).toBe('Bearer no-key');
  });
});
