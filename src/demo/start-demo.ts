// The demo wiring: starts the sandbox back office on 127.0.0.1 when the workspace's connectors point at it,
// and seeds its demo credentials into the vault. The only place in src/ that knows the sandbox exists.
import { join } from 'node:path';
import { packageRoot } from '../app/paths.ts';
import type { SecretStore } from '../vault/secret-store.ts';
import { secretKey } from '../connectors/http/http-client.ts';
import type { Workspace } from '../workspace/load.ts';

export interface DemoSandbox {
  addresses: Record<string, string>;
  systems: Record<string, { title: string; baseUrl: string; kind: string }>;
  stop(): Promise<void>;
}

export async function startDemoSandbox(workspace: Workspace, vault: SecretStore, resourcesDir = join(packageRoot(), 'resources')): Promise<DemoSandbox | null> {
  const wanted = workspace.connectors.filter((c) => c.sandbox);
  if (wanted.length === 0) return null;
  const { startSandbox } = await import('../../resources/sandbox/index.ts');
  const sandbox = await startSandbox({ dataDir: join(resourcesDir, 'sandbox', 'data'), ticketsDir: join(workspace.root, 'tickets') });
  const systems = sandbox.systems as Record<string, { title: string; baseUrl: string; kind: string; credentials: Record<string, string> }>;
  for (const c of wanted) {
    const system = systems[c.sandbox!];
    if (!system) continue;
    // Demo credentials go where real ones would: the vault, under the connector's own names; never into YAML.
    for (const [name, value] of Object.entries(system.credentials)) await vault.set(secretKey(c.id, name), value);
  }
  return {
    addresses: Object.fromEntries(Object.entries(systems).map(([name, s]) => [name, s.baseUrl])),
    systems: Object.fromEntries(Object.entries(systems).map(([name, s]) => [name, { title: s.title, baseUrl: s.baseUrl, kind: s.kind }])),
    stop: () => sandbox.stop(),
  };
}
