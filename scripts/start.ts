// `npm start`: launches the desktop app; where the Electron binary is missing and cannot be fetched, starts the headless host instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The Electron binary's path, or the reason there is none. Never triggers the package's own download on require. */
export function findElectron(): { path: string } | { missing: string } {
  let pkgDir: string;
  try {
    pkgDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { missing: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const binary = () => join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (existsSync(pathFile) && existsSync(binary())) return { path: binary() };
  // On a user's machine this fetches Electron once, as `npm install` would have.
  const fetched = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 });
  if (fetched.status === 0 && existsSync(pathFile) && existsSync(binary())) return { path: binary() };
  const why = fetched.stderr?.toString().trim().split('\n').filter(Boolean).at(-1) ?? 'download failed';
  return { missing: `the Electron binary is not installed and could not be downloaded (${why})` };
}

function run(command: string, args: string[]): void {
  const child = spawn(command, args, { stdio: 'inherit' });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}

const root = join(import.meta.dirname, '..');
const electron = findElectron();
if ('path' in electron) {
  run(electron.path, [root, ...process.argv.slice(2)]);
} else {
  console.log(`Tandem: ${electron.missing}; starting the headless host instead — open the URL below in a browser.`);
  run(process.execPath, [join(root, 'bin', 'tandem.js'), 'serve', ...process.argv.slice(2)]);
}
