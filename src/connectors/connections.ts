// Connections as the Settings screen and `tandem connectors test` see them: which secrets each connector needs, whether they
// are set (never their values), and a test that really signs in.
import { TandemError, toErrorShape, type ErrorShape } from '../domain/errors.ts';
import type { SecretStore } from '../vault/secret-store.ts';
import type { ConnectorFile } from '../workspace/schema.ts';
import { httpRequest, secretKey } from './http/http-client.ts';
import { baseUrlOf, toHttpConnector, type SandboxAddresses } from './resolve.ts';

export interface ConnectionTest {
  ok: boolean;
  at: number;
  ms: number;
  message: string;
  error: ErrorShape | null;
}

export interface Connection {
  id: string;
  title: string;
  type: 'http' | 'browser';
  address: string;
  secrets: { name: string; set: boolean }[];
  lastTest: ConnectionTest | null;
}

export function secretNames(c: ConnectorFile): string[] {
  if (c.type === 'browser') return c.secret ? [c.secret] : [];
  return c.auth.type === 'none' ? [] : [c.auth.secret];
}

export async function describeConnections(connectors: readonly ConnectorFile[], vault: SecretStore, sandbox: SandboxAddresses, tests: ReadonlyMap<string, ConnectionTest>): Promise<Connection[]> {
  const out: Connection[] = [];
  for (const c of connectors) {
    let address: string;
    try {
      address = baseUrlOf(c, sandbox);
    } catch {
      address = `demo sandbox “${c.sandbox}” (not running)`;
    }
    const secrets = [];
    for (const name of secretNames(c)) secrets.push({ name, set: (await vault.get(secretKey(c.id, name))) !== undefined });
    out.push({ id: c.id, title: c.title, type: c.type, address, secrets, lastTest: tests.get(c.id) ?? null });
  }
  return out;
}

/** Checks that the secret name is one this connector uses, so nothing else is ever written under its name. */
export function checkSecretName(c: ConnectorFile | undefined, connectorId: string, name: string): asserts c is ConnectorFile {
  if (!c) throw new TandemError('not_found', `There is no connector "${connectorId}" in this workspace.`);
  if (!secretNames(c).includes(name)) {
    throw new TandemError('bad_input', `${c.title} uses no secret called "${name}".`, { hint: `It uses: ${secretNames(c).join(', ') || 'none'}.` });
  }
}

export interface BrowserTester {
  signIn(connectorId: string, path: string): Promise<void>;
}

/** "Test connection": a real call with the stored credentials. */
export async function testConnection(c: ConnectorFile, vault: SecretStore, sandbox: SandboxAddresses, browser: BrowserTester | null, now: () => number): Promise<ConnectionTest> {
  const t0 = Date.now();
  try {
    if (c.type === 'http') {
      const connector = { ...toHttpConnector(c, sandbox), maxAttempts: 1 };
      try {
        await httpRequest(connector, { method: 'GET', path: c.test, describe: `test page ${c.test || '/'}` }, { vault });
      } catch (err) {
        // A 404 on the test path still proves the address answers and the credentials were accepted.
        if (!(err instanceof TandemError && err.code === 'not_found')) throw err;
      }
    } else {
      if (!browser) throw new TandemError('not_supported', 'No browser is available to test this connection.', { hint: 'Install Chromium, or set TANDEM_CHROMIUM.' });
      await browser.signIn(c.id, c.test);
    }
    return { ok: true, at: now(), ms: Date.now() - t0, message: `Signed in to ${c.title}.`, error: null };
  } catch (err) {
    const error = toErrorShape(err);
    return { ok: false, at: now(), ms: Date.now() - t0, message: error.message, error };
  }
}
