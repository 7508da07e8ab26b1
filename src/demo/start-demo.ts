// The demo wiring: starts the sandbox back office on 127.0.0.1 when the workspace's connectors point at it,
// and seeds its demo credentials into the vault. The only place in src/ that knows the sandbox exists.
import { join } from 'node:path';
import { packageRoot } from '../app/paths.ts';
import type { SecretStore } from '../vault/secret-store.ts';
import { secretKey } from '../connectors/http/http-client.ts';
import type { Workspace } from '../workspace/load.ts';

export interface DemoSandbox {
  addresses: Record<string, string>;
  systems: Record<string, { title: string; baseUrl: string; url: string; kind: string }>;
  stop(): Promise<void>;
}

export async function startDemoSandbox(
  workspace: Workspace,
  vault: SecretStore,
  resourcesDir = join(packageRoot(), 'resources'),
  attachTo = attachedSandbox(process.env),
): Promise<DemoSandbox | null> {
  const wanted = workspace.connectors.filter((c) => c.sandbox);
  if (wanted.length === 0) return null;
  let systems: Record<string, { title: string; baseUrl: string; url?: string; kind: string; credentials: Record<string, string> }>;
  let stop: () => Promise<void>;
  if (attachTo) {
    // A sandbox that runs elsewhere (`tandem sandbox --json`) keeps its state across Tandem restarts.
    systems = attachTo;
    stop = async () => undefined;
  } else {
    const { startSandbox } = await import('../../resources/sandbox/index.ts');
    // TANDEM_SANDBOX_2FA=1: every demo CRM account asks for a one-time code (its /_otp page shows it).
    const crmTwoFactor = process.env.TANDEM_SANDBOX_2FA === '1';
    // The tickets the workspace learns from (triage.learn_from) are its history: solved in the helpdesk, not in the queue.
    const solvedSplits = workspace.settings.triage.learn_from;
    const sandbox = await startSandbox({ dataDir: join(resourcesDir, 'sandbox', 'data'), ticketsDir: join(workspace.root, 'tickets'), solvedSplits, ...(crmTwoFactor ? { crmTwoFactor } : {}) });
    systems = sandbox.systems;
    stop = () => sandbox.stop();
  }
  for (const c of wanted) {
    const system = systems[c.sandbox!];
    if (!system) continue;
    // Demo credentials go where real ones would: the vault, under the connector's own names; never into YAML.
    for (const [name, value] of Object.entries(system.credentials)) await vault.set(secretKey(c.id, name), value);
  }
  return {
    addresses: Object.fromEntries(Object.entries(systems).map(([name, s]) => [name, s.baseUrl])),
    systems: Object.fromEntries(Object.entries(systems).map(([name, s]) => [name, { title: s.title, baseUrl: s.baseUrl, url: s.url ?? s.baseUrl, kind: s.kind }])),
    stop,
  };
}

/** TANDEM_SANDBOX holds `tandem sandbox --json`'s output when Tandem should use a sandbox that is already running. */
function attachedSandbox(env: NodeJS.ProcessEnv): Record<string, { title: string; baseUrl: string; url?: string; kind: string; credentials: Record<string, string> }> | undefined {
  if (!env.TANDEM_SANDBOX) return undefined;
  try {
    return JSON.parse(env.TANDEM_SANDBOX) as Record<string, { title: string; baseUrl: string; url?: string; kind: string; credentials: Record<string, string> }>;
  } catch {
    throw new Error('TANDEM_SANDBOX is not the JSON that `tandem sandbox --json` prints.');
  }
}

/** The whole sandbox on its own (`tandem sandbox`), for people who want to look at the demo systems directly. */
export async function startStandaloneSandbox(ticketsDir: string, resourcesDir = join(packageRoot(), 'resources'), solvedSplits: readonly string[] = []) {
  const { startSandbox } = await import('../../resources/sandbox/index.ts');
  return startSandbox({ dataDir: join(resourcesDir, 'sandbox', 'data'), ticketsDir, solvedSplits });
}
