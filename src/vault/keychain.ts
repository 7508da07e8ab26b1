// The OS keychain through keytar, probed before it is trusted: a locked keyring answers "no such secret" to every read.
import { randomUUID } from 'node:crypto';
import { createMemoryStore, KeyQueue, type SecretStore } from './secret-store.ts';

export const SERVICE = 'Tandem';
const PROBE_ACCOUNT = '__tandem_probe__';

/** The slice of keytar Tandem uses; tests may pass another implementation with the same behaviour. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

export interface OpenVaultOptions {
  service?: string;
  platform?: NodeJS.Platform;
  /** Loads keytar; injectable so a missing native build is handled like a missing keychain. */
  loadKeytar?: () => Promise<KeytarLike>;
}

export async function openVault(options: OpenVaultOptions = {}): Promise<SecretStore> {
  const service = options.service ?? SERVICE;
  const platform = options.platform ?? process.platform;
  let keytar: KeytarLike;
  try {
    keytar = await (options.loadKeytar ?? loadKeytar)();
  } catch (err) {
    return createMemoryStore(explain(platform, `keytar could not load: ${(err as Error).message}`));
  }
  try {
    // Write, read back and delete a marker: only a keychain that does all three is trusted with secrets.
    const marker = randomUUID();
    await keytar.setPassword(service, PROBE_ACCOUNT, marker);
    const read = await keytar.getPassword(service, PROBE_ACCOUNT);
    await keytar.deletePassword(service, PROBE_ACCOUNT);
    if (read !== marker) throw new Error('the keychain did not return what was written');
  } catch (err) {
    return createMemoryStore(explain(platform, (err as Error).message));
  }
  const queue = new KeyQueue();
  return {
    type: 'persisted',
    notice: null,
    get: (key) => queue.run(key, async () => (await keytar.getPassword(service, key)) ?? undefined),
    set: (key, value) => queue.run(key, () => keytar.setPassword(service, key, value)),
    delete: (key) => queue.run(key, () => keytar.deletePassword(service, key)),
    keys: async () => (await keytar.findCredentials(service)).map((c) => c.account).filter((a) => a !== PROBE_ACCOUNT).sort(),
  };
}

async function loadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike;
  return mod.default ?? mod;
}

/** Says what is wrong and what to start or unlock, in the words of the user's platform. */
export function explain(platform: NodeJS.Platform, reason: string): string {
  const memory = 'Tandem keeps credentials in memory for this session only; everything else works.';
  if (platform === 'darwin') return `The macOS Keychain is not usable (${reason}). Unlock the login keychain in Keychain Access. ${memory}`;
  if (platform === 'win32') return `Windows Credential Manager is not usable (${reason}). ${memory}`;
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Cannot connect/i.test(reason)) {
    return `No desktop session bus was found, so the Secret Service (GNOME Keyring or KWallet) cannot be reached (${reason}). Start Tandem from a desktop session, or run it inside \`dbus-run-session\` with gnome-keyring-daemon. ${memory}`;
  }
  if (/locked|collection\/login|Object does not exist|prompt/i.test(reason)) {
    return `The GNOME Keyring (or KWallet) is locked or has no login collection (${reason}). Unlock it — log in to the desktop, or run \`gnome-keyring-daemon --unlock\` — then restart Tandem. ${memory}`;
  }
  if (/org\.freedesktop\.secrets|ServiceUnknown/i.test(reason)) {
    return `No Secret Service is running (${reason}). Install and start gnome-keyring (or KWallet), then restart Tandem. ${memory}`;
  }
  return `The OS keychain is not usable (${reason}). ${memory}`;
}
