// Opens the app the way every host does (CLI, headless server, Electron): keychain, demo sandbox when the workspace uses it,
// a browser for browser steps when one is installed, the helpdesk read, and the runs a previous process left unfinished.
import { join } from 'node:path';
import { createApp, type App, type BrowserViews } from './create-app.ts';
import type { PageHost } from '../connectors/browser/browser-connector.ts';
import { chromiumPath, createBrowserPort } from './browser-port.ts';
import { createRecorder } from '../connectors/browser/recorder.ts';
import { packageRoot } from './paths.ts';
import { startDemoSandbox } from '../demo/start-demo.ts';
import { openVault } from '../vault/keychain.ts';
import { loadWorkspace } from '../workspace/load.ts';
import { llmOverrideFrom } from '../triage/llm/endpoint.ts';

export interface OpenOptions {
  dataDir: string;
  workspaceDir: string;
  host: 'electron' | 'headless';
  version: string;
  env?: NodeJS.ProcessEnv;
  migrationsDir?: string;
  /** Where resources/ is: the repository's in development, process.resourcesPath in a packaged app. */
  resourcesDir?: string;
  /** One line for the person running Tandem: a keychain that is not usable, a source that could not be read. */
  notice?: (line: string) => void;
  /** The desktop app's embedded browser: its views drive browser steps instead of a launched Chromium. */
  embedded?: { host: PageHost; views: BrowserViews };
  /** The desktop app's save dialog, for the Export dialog's Save. */
  chooseExportPath?: (suggestedName: string) => Promise<string | null>;
}

export interface OpenedApp {
  app: App;
  sandbox: Awaited<ReturnType<typeof startDemoSandbox>>;
  close(): Promise<void>;
}

export async function openApp(options: OpenOptions): Promise<OpenedApp> {
  const env = options.env ?? process.env;
  const notice = options.notice ?? (() => undefined);
  const vault = await openVault();
  if (vault.notice) notice(`keychain: ${vault.notice}`);
  const workspace = loadWorkspace(options.workspaceDir);
  const sandbox = await startDemoSandbox(workspace, vault, options.resourcesDir ?? join(packageRoot(), 'resources'));
  // Browser steps drive Chromium; without one they are done by hand, and each such step says so.
  const chromium = chromiumPath(env);
  const browser = options.embedded
    ? createBrowserPort(workspace, sandbox?.addresses ?? {}, vault, options.dataDir, chromium ?? '', options.embedded.host, env)
    : chromium
      ? createBrowserPort(workspace, sandbox?.addresses ?? {}, vault, options.dataDir, chromium, undefined, env)
      : null;
  // Recording a browser block opens the connector's page in a launched Chromium, shown with TANDEM_BROWSER_HEADFUL=1.
  // The desktop app records in a Chromium window of its own, not in the embedded view: that page is shared with the
  // steps the runner drives, and a recording must neither close it nor leave its listener behind in it.
  const recordingBrowser = options.embedded ? (chromium ? createBrowserPort(workspace, sandbox?.addresses ?? {}, vault, options.dataDir, chromium, undefined, { ...env, TANDEM_BROWSER_HEADFUL: '1' }) : null) : browser;
  const recorder = recordingBrowser ? createRecorder((id, path) => recordingBrowser.openPage(id, path), { visible: Boolean(options.embedded) || env.TANDEM_BROWSER_HEADFUL === '1' }) : null;
  let app: App;
  try {
    app = createApp({
      dataDir: options.dataDir,
      workspaceDir: options.workspaceDir,
      host: options.host,
      version: options.version,
      vault,
      sandbox: sandbox?.addresses ?? {},
      browser,
      ...(options.embedded ? { browserViews: options.embedded.views } : {}),
      recorder,
      ...(options.chooseExportPath ? { chooseExportPath: options.chooseExportPath } : {}),
      ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
      ...failpointFrom(env),
      // TANDEM_LLM_BASE_URL points triage at another OpenAI-compatible server (a demo, the test server) than tandem.yaml's.
      llm: llmOverrideFrom(env),
    });
  } catch (err) {
    if (recordingBrowser !== browser) await recordingBrowser?.close();
    await browser?.close();
    await sandbox?.stop();
    throw err;
  }
  for (const r of await app.sync()) {
    if (r.error) notice(`source ${r.source}: ${r.error.message}${r.error.hint ? ` — ${r.error.hint}` : ''}`);
  }
  await app.recover();
  return {
    app,
    sandbox,
    async close() {
      await app.settle();
      await recorder?.close();
      if (recordingBrowser !== browser) await recordingBrowser?.close();
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
