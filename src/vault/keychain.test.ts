// The vault against a real Secret Service (gnome-keyring in a private D-Bus session), unlocked, locked and absent.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';
import { explain, openVault } from './keychain.ts';

const CHILD = join(import.meta.dirname, 'keychain-child.ts');

function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

describe('vault on a real Secret Service', () => {
  let home: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;

  beforeEach(() => {
    if (!hasTool('dbus-run-session') || !hasTool('gnome-keyring-daemon')) {
      throw new Error('These tests need dbus and gnome-keyring: apt-get install -y dbus dbus-x11 gnome-keyring (bash .ci/run does it)');
    }
    home = tempDir('tandem-keyring-');
    // Each run gets its own keyring files, so nothing leaks into the user's keyring or between tests.
    env = { PATH: process.env.PATH, HOME: home.path, XDG_DATA_HOME: join(home.path, 'data'), XDG_RUNTIME_DIR: join(home.path, 'run') };
    mkdirSync(env.XDG_DATA_HOME!, { recursive: true });
    mkdirSync(env.XDG_RUNTIME_DIR!, { recursive: true });
    chmodSync(env.XDG_RUNTIME_DIR!, 0o700);
  });
  afterEach(() => home.cleanup());

  const runInSession = (script: string) =>
    JSON.parse(execFileSync('dbus-run-session', ['--', 'sh', '-c', script], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 30_000 })) as Record<string, unknown>;

  it('persists, lists, orders and deletes secrets in an unlocked keyring', () => {
    const out = runInSession(`echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "${process.execPath}" "${CHILD}" TandemTest`);
    expect(out).toEqual({
      type: 'persisted',
      notice: null,
      afterSet: { token: 'hd-secret-1', crm: 'second', missing: null },
      keys: ['crm.password', 'helpdesk.api_token'],
      deleted: true,
      afterDelete: { token: null, keys: ['crm.password'] },
    });
  });

  it('does not mistake a locked keyring for an empty one: it says to unlock, and keeps working in memory', () => {
    const out = runInSession(`"${process.execPath}" "${CHILD}" TandemTest`);
    expect(out.type).toBe('in-memory');
    expect(out.notice).toMatch(/locked.*Unlock it.*in memory for this session only/s);
    expect(out.afterSet).toEqual({ token: 'hd-secret-1', crm: 'second', missing: null });
  });

  it('says which service to start when there is no session bus at all', () => {
    const out = JSON.parse(execFileSync(process.execPath, [CHILD, 'TandemTest'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Record<string, unknown>;
    expect(out.type).toBe('in-memory');
    expect(out.notice).toMatch(/session bus.*dbus-run-session/s);
  });
});

describe('vault without keytar', () => {
  it('falls back to memory when the native module cannot load', async () => {
    const vault = await openVault({ loadKeytar: () => Promise.reject(new Error('Cannot find module keytar.node')) });
    expect(vault.type).toBe('in-memory');
    expect(vault.notice).toMatch(/keytar could not load/);
    await vault.set('a', 'b');
    expect(await vault.get('a')).toBe('b');
  });

  it('speaks each platform’s words', () => {
    expect(explain('darwin', 'x')).toMatch(/macOS Keychain/);
    expect(explain('win32', 'x')).toMatch(/Credential Manager/);
    expect(explain('linux', 'The name org.freedesktop.secrets was not provided by any .service files')).toMatch(/No Secret Service is running/);
  });
});
