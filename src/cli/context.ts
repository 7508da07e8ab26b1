// Resolves where a CLI command reads and writes: the data dir and workspace from flags, environment, or defaults.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { defaultDataDir, demoWorkspaceDir, packageRoot } from '../app/paths.ts';

export interface Locations {
  dataDir: string;
  workspaceDir: string;
}

export function locations(values: { 'data-dir'?: string | undefined; workspace?: string | undefined }, env: NodeJS.ProcessEnv): Locations {
  return {
    dataDir: resolve(values['data-dir'] ?? defaultDataDir(env)),
    workspaceDir: resolve(values.workspace ?? env.TANDEM_WORKSPACE ?? demoWorkspaceDir()),
  };
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}
