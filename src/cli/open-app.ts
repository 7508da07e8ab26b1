// Opens the app for a CLI command the way a host does: keychain, demo sandbox when the workspace uses it, and the runs left unfinished.
import { createApp, type App } from '../app/create-app.ts';
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
  const sandbox = await startDemoSandbox(loadWorkspace(where.workspaceDir), vault);
  let app: App;
  try {
    app = createApp({ ...where, host: 'headless', version: packageVersion(), vault, sandbox: sandbox?.addresses ?? {} });
  } catch (err) {
    await sandbox?.stop();
    throw err;
  }
  await app.sync();
  await app.recover();
  return {
    app,
    sandbox,
    async close() {
      app.close();
      await sandbox?.stop();
    },
  };
}
