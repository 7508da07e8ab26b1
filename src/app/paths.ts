// Where Tandem keeps its data and finds its bundled resources when the host does not say.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The per-user data directory, as each platform expects it (Electron's userData uses the same places). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.TANDEM_DATA_DIR) return env.TANDEM_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Tandem');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Tandem');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Tandem');
}

/** The repository (or unpacked app) root, from this file's place in src/app/. */
export function packageRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}

export function demoWorkspaceDir(root: string = packageRoot()): string {
  return join(root, 'resources', 'demo-workspace');
}

export function rendererDir(root: string = packageRoot()): string {
  return join(root, 'out', 'renderer');
}

export const DATABASE_FILE = 'tandem.db';
