// `tandem secrets` against a real gnome-keyring in a private D-Bus session: the value comes from stdin and is never printed.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dirs.ts';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'tandem.js');

describe('tandem secrets', { timeout: 60_000 }, () => {
  let home: ReturnType<typeof tempDir>;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    home = tempDir('tandem-secrets-');
    env = { PATH: process.env.PATH, HOME: home.path, XDG_DATA_HOME: join(home.path, 'data'), XDG_RUNTIME_DIR: join(home.path, 'run') };
    mkdirSync(env.XDG_DATA_HOME!, { recursive: true });
    mkdirSync(env.XDG_RUNTIME_DIR!, { recursive: true });
    chmodSync(env.XDG_RUNTIME_DIR!, 0o700);
  });
  afterEach(() => home.cleanup());

  it('stores from stdin, lists set / not set, deletes, and never prints the value', () => {
    const node = `"${process.execPath}" "${BIN}"`;
    const script = [
      'echo -n pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      `printf %s 'sk_live_from_stdin_123' | ${node} secrets set payments secret_key`,
      `${node} secrets list --json`,
      `${node} secrets delete payments secret_key`,
      `${node} secrets list --json`,
      `${node} secrets set payments admin 2>&1 </dev/null; echo "exit=$?"`,
    ].join('; ');
    const out = execFileSync('dbus-run-session', ['--', 'sh', '-c', `exec 2>&1; ${script}`], { env, encoding: 'utf8', timeout: 50_000 });
    expect(out).not.toContain('sk_live_from_stdin_123');
    expect(out).toContain('Stored payments.secret_key in the keychain (22 characters).');
    const lists = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { keychain: string; secrets: { connector: string; field: string; set: boolean }[] });
    expect(lists).toHaveLength(2);
    expect(lists[0]!.keychain).toBe('persisted');
    expect(lists[0]!.secrets.find((s) => s.connector === 'payments')).toEqual({ connector: 'payments', field: 'secret_key', set: true });
    expect(lists[1]!.secrets.find((s) => s.connector === 'payments')?.set).toBe(false);
    expect(out).toContain('Payments uses no secret called "admin".');
    expect(out).toContain('exit=1');
  });
});
