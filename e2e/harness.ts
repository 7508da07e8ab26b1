// Shared e2e harness: a headless host on a temp data dir, and Chromium launched the way our machines need.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const ROOT = join(import.meta.dirname, '..');
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts');
export const CHROMIUM = process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';

// Without the networking flags Chromium keeps dialling hosts our machines cannot reach.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export interface Host {
  url: string;
  /** The demo systems the host started, by name: web root and title. */
  sandbox: Record<string, { url: string; baseUrl: string; title: string }> | null;
  dataDir: string;
  process: ChildProcess;
  /** Everything the host printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * `env` is added to this process's environment for the host (e.g. TANDEM_SANDBOX_2FA=1). `dataDir` starts it on the
 * data of a host that stopped (a restart), instead of a new temp directory.
 */
export async function startHost(extraArgs: string[] = [], env: Record<string, string> = {}, options: { dataDir?: string } = {}): Promise<Host> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'tandem.js'), 'serve', '--json', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  let all = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr += d.toString();
    all += d.toString();
  });
  child.stdout!.on('data', (d: Buffer) => (all += d.toString()));
  const { url, sandbox } = await new Promise<{ url: string; sandbox: Host['sandbox'] }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(JSON.parse(line) as { url: string; sandbox: Host['sandbox'] }));
    child.once('exit', (code) => reject(new Error(`tandem serve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    sandbox,
    dataDir,
    process: child,
    output: () => all,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (or set TANDEM_CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens a ticket and confirms its intent as an associate would: Enter when triage read it as `intent` (its title),
 * otherwise an override to it. Leaves the page on the ticket.
 */
export async function openAndConfirm(page: Page, url: string, ticketId: string, intent: string): Promise<void> {
  await page.goto(`${url}/#/tickets/${encodeURIComponent(ticketId)}`);
  const triage = page.getByRole('region', { name: 'Triage' });
  await triage.locator('.chip').first().waitFor();
  if ((await triage.locator('.chip').first().innerText()).startsWith(intent)) await page.keyboard.press('Enter');
  else {
    await triage.getByRole('button', { name: /Change intent/ }).click();
    await triage.getByLabel('The customer actually wants').selectOption({ label: intent });
    await triage.getByRole('button', { name: 'Save override' }).click();
  }
}

/** Works under another name, as a second person at the same desk would (Settings → Associate → Change). */
export async function actAs(page: Page, url: string, name: string): Promise<void> {
  await page.goto(`${url}/#/settings`);
  const settings = page.getByRole('region', { name: 'Settings' });
  await settings.getByRole('button', { name: 'Change' }).click();
  await settings.getByLabel('Your name in the record').fill(name);
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('header .user').innerText()).toBe(name);
}
