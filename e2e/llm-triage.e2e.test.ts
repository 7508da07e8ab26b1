// The LLM path end to end: `tandem serve` pointed at the OpenAI-compatible test server triages the demo queue in the
// background; the ticket screen shows the model's reading (sources, tokens) and Settings shows the model in use.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelAnswer } from '../src/testing/demo-model.ts';
import { startOpenAiServer, type OpenAiServer } from '../src/testing/openai-server.ts';
import { ARTIFACTS, ROOT, launchChromium, startHost, type Host } from './harness.ts';

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
    // The field shows the words it was read from ("order 106750", "Order ID: 106750", …), which hold its value.
    await expect.poll(() => triage.innerText()).toMatch(/order_id from “?[^\n]*\b(\d{6})\b[^]*\norder_id\n\1\b/);
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

describe('Settings → Triage model in the real UI', () => {
  let llm: OpenAiServer;
  let host: Host;
  let browser: Browser;
  let workspace: string;

  beforeAll(async () => {
    // A copy of the demo workspace: saving settings writes its tandem.yaml.
    workspace = mkdtempSync(join(tmpdir(), 'tandem-e2e-ws-'));
    cpSync(join(ROOT, 'resources', 'demo-workspace'), workspace, { recursive: true });
    llm = await startOpenAiServer({ script: (req) => demoModelAnswer(req) });
    host = await startHost(['--workspace', workspace]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await llm?.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('saves the model to tandem.yaml, switches triage to it, and keeps the key out of sight', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${host.url}/#/settings`);
    const panel = page.getByRole('region', { name: 'Triage model' });
    await expect.poll(() => panel.getByTestId('triage-model').innerText(), { timeout: 15_000 }).toMatch(/^local/);
    await panel.getByLabel('Base URL', { exact: true }).fill(llm.baseUrl);
    await panel.getByLabel('Model', { exact: true }).fill('demo-keywords');
    await panel.getByLabel(/Skip the model when/).fill('1');
    await panel.getByRole('button', { name: 'Save model settings' }).click();
    await expect.poll(() => panel.getByTestId('triage-model').innerText(), { timeout: 15_000 }).toMatch(/^llm:demo-keywords@127\.0\.0\.1/);
    const yaml = readFileSync(join(workspace, 'tandem.yaml'), 'utf8');
    expect(yaml).toContain('model: demo-keywords');
    expect(yaml).toContain('# The demo workspace'); // the file's own comments survive the edit
    // The key goes to the (in-memory here) keychain; the page only ever learns that it is set.
    await panel.getByLabel(/API key/).fill('sk-e2e-never-shown');
    await panel.getByRole('button', { name: 'Save key' }).click();
    await expect.poll(() => panel.innerText()).toMatch(/API key\s*set/);
    expect(await page.content()).not.toContain('sk-e2e-never-shown');
    expect(readFileSync(join(workspace, 'tandem.yaml'), 'utf8')).not.toContain('sk-e2e');
    // The queue reads the demo tickets with the new model.
    await expect.poll(() => llm.requests.length, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(llm.requests.every((r) => r.body.model === 'demo-keywords')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'settings-llm-saved.png') });
  });
});
