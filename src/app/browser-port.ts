// Connects the runner's browser steps to the browser pool, resolving each connector's address and login from the workspace.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
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

/** `host`: the desktop app's embedded views instead of a launched Chromium (then `executablePath` is not used). */
export function createBrowserPort(workspace: Workspace, sandbox: SandboxAddresses, vault: SecretStore, dataDir: string, executablePath: string, host?: PageHost): BrowserPort & { close(): Promise<void> } {
  const pool = createBrowserPool({ profilesDir: join(dataDir, 'browser-profiles'), vault, executablePath, screenshotsDir: join(dataDir, 'screenshots'), ...(host ? { host } : {}) });
  return {
    async run(connectorId, actions, env) {
      const file = workspace.connectors.find((c) => c.id === connectorId);
      if (!file || file.type !== 'browser') throw new TandemError('workspace_invalid', `The workspace has no browser connector "${connectorId}".`);
      return pool.run({ id: file.id, title: file.title, baseUrl: baseUrlOf(file, sandbox), username: file.username, secret: file.secret }, actions as BrowserAction[], env);
    },
    close: () => pool.close(),
  };
}
