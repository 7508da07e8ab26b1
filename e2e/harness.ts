// Shared e2e harness: a headless host on a temp data dir, and Chromium launched the way our machines need.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';

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
