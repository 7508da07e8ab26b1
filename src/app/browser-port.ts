// Connects the runner's browser steps to the browser pool, resolving each connector's address and login from the workspace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { createBrowserPool, type BrowserAction, type PageHost } from '../connectors/browser/browser-connector.ts';
import { baseUrlOf, type SandboxAddresses } from '../connectors/resolve.ts';
import { TandemError } from '../domain/errors.ts';
import type { SecretStore } from '../vault/secret-store.ts';
import type { Workspace } from '../workspace/load.ts';
import type { BrowserPort } from './executors.ts';

export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | null {
  const candidates = [env.TANDEM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/**
 * `host`: the desktop app's embedded views instead of a launched Chromium (then `executablePath` is not used).
 * TANDEM_BROWSER_HEADFUL=1 shows the launched browser (to record a block on a desktop without Electron);
 * TANDEM_BROWSER_DEBUG_PORT opens it to a second client (the end-to-end tests act as the person recording).
 */
export function createBrowserPort(workspace: Workspace, sandbox: SandboxAddresses, vault: SecretStore, dataDir: string, executablePath: string, host?: PageHost, env: NodeJS.ProcessEnv = process.env): BrowserPort & { close(): Promise<void>; openPage(connectorId: string, path: string): Promise<{ page: Page; baseUrl: string }> } {
  const extraArgs = env.TANDEM_BROWSER_DEBUG_PORT ? [`--remote-debugging-port=${Number(env.TANDEM_BROWSER_DEBUG_PORT) || 0}`] : [];
  const pool = createBrowserPool({ profilesDir: join(dataDir, 'browser-profiles'), vault, executablePath, screenshotsDir: join(dataDir, 'screenshots'), headless: env.TANDEM_BROWSER_HEADFUL !== '1', extraArgs, ...(host ? { host } : {}) });
  return {
    async openPage(connectorId, path) {
      const file = workspace.connectors.find((c) => c.id === connectorId);
      if (!file || file.type !== 'browser') throw new TandemError('workspace_invalid', `The workspace has no browser connector "${connectorId}".`);
      const baseUrl = baseUrlOf(file, sandbox);
      return { page: await pool.openPage({ id: file.id, title: file.title, baseUrl, username: file.username, secret: file.secret }, path), baseUrl };
    },
    async run(connectorId, actions, env) {
      const file = workspace.connectors.find((c) => c.id === connectorId);
      if (!file || file.type !== 'browser') throw new TandemError('workspace_invalid', `The workspace has no browser connector "${connectorId}".`);
      return pool.run({ id: file.id, title: file.title, baseUrl: baseUrlOf(file, sandbox), username: file.username, secret: file.secret }, actions as BrowserAction[], env);
    },
    close: () => pool.close(),
  };
}
