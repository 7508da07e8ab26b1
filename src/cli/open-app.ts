// Opens the app for a CLI command the way a host does: keychain, demo sandbox when the workspace uses it, and the runs left unfinished.
import { createApp, type App } from '../app/create-app.ts';
import { chromiumPath, createBrowserPort } from '../app/browser-port.ts';
import { startDemoSandbox } from '../demo/start-demo.ts';
import { openVault } from '../vault/keychain.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { write, type CliIo } from './args.ts';
import { packageVersion, type Locations } from './context.ts';

export interface OpenedApp {
  app: App;
  sandbox: Awaited<ReturnType<typeof startDemoSandbox>>;
  close(): Promise<void>;
}

export async function openApp(where: Locations, io: CliIo, options: { quiet?: boolean } = {}): Promise<OpenedApp> {
  const vault = await openVault();
  if (vault.notice && !options.quiet) write(io.stderr, `keychain: ${vault.notice}`);
  const workspace = loadWorkspace(where.workspaceDir);
  const sandbox = await startDemoSandbox(workspace, vault);
  // The headless host drives Chromium for browser steps; without one they are done by hand, and the app says so.
  const chromium = chromiumPath(io.env);
  const browser = chromium ? createBrowserPort(workspace, sandbox?.addresses ?? {}, vault, where.dataDir, chromium) : null;
  let app: App;
  try {
    app = createApp({ ...where, host: 'headless', version: packageVersion(), vault, sandbox: sandbox?.addresses ?? {}, browser, ...failpointFrom(io.env) });
  } catch (err) {
    await browser?.close();
    await sandbox?.stop();
    throw err;
  }
  for (const r of await app.sync()) {
    if (r.error) write(io.stderr, `source ${r.source}: ${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ''}`);
  }
  await app.recover();
  return {
    app,
    sandbox,
    async close() {
      await browser?.close();
      app.close();
      await sandbox?.stop();
    },
  };
}

/**
 * TANDEM_FAILPOINT=<step>:<phase> kills this process without any cleanup at that boundary of that step,
 * so the crash tests prove what a real power cut would leave behind. Unset in normal use.
 */
function failpointFrom(env: NodeJS.ProcessEnv): { failpoint?: (stepId: string, phase: string) => void } {
  const spec = env.TANDEM_FAILPOINT;
  if (!spec) return {};
  const [stepId, phase] = spec.split(':');
  return {
    failpoint: (s, p) => {
      if (s === stepId && p === phase) process.kill(process.pid, 'SIGKILL');
    },
  };
}
