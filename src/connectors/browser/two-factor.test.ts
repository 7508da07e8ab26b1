// Two-step verification in Chromium against the demo CRM: the step pauses for the associate's one-time code, a wrong
// code is asked again, the code goes only into the page, and the session is kept afterwards.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRM_2FA_CREDENTIALS } from '../../../resources/sandbox/crm.ts';
import { startSandbox, type Sandbox } from '../../../resources/sandbox/index.ts';
import { chromiumPath } from '../../app/browser-port.ts';
import { TandemError } from '../../domain/errors.ts';
import { tempDir } from '../../testing/temp-dirs.ts';
import { createMemoryStore } from '../../vault/secret-store.ts';
import { secretKey } from '../http/http-client.ts';
import { createBrowserPool, type BrowserConnector, type BrowserPool } from './browser-connector.ts';
import { createCodePrompts, type CodeRequest } from './code-prompts.ts';

describe('one-time codes (2FA) on a browser sign-in', { timeout: 60_000 }, () => {
  let sandbox: Sandbox;
  let pool: BrowserPool;
  let dir: ReturnType<typeof tempDir>;
  const vault = createMemoryStore(null);
  let crm: BrowserConnector;
  const steps = [{ goto: '/customers/cus_0002' }, { extract: { target: { selector: '[data-field="email"]' }, into: 'email' } }];

  beforeAll(async () => {
    const chromium = chromiumPath();
    if (!chromium) throw new Error('These tests need Chromium: apt-get install -y chromium (bash .ci/run does it)');
    sandbox = await startSandbox();
    dir = tempDir();
    pool = createBrowserPool({ profilesDir: dir.path, vault, executablePath: chromium, actionTimeoutMs: 3000, screenshotsDir: join(dir.path, 'shots') });
    crm = { id: 'crm', title: 'CRM', baseUrl: sandbox.systems.crm.url, username: CRM_2FA_CREDENTIALS.username, secret: 'password' };
    await vault.set(secretKey('crm', 'password'), CRM_2FA_CREDENTIALS.password);
  });
  afterAll(async () => {
    await pool?.close();
    await sandbox?.stop();
    dir?.cleanup();
  });

  /** What the associate's authenticator shows: the demo CRM tells it on /_otp. */
  const phone = async (user = CRM_2FA_CREDENTIALS.username) => ((await (await fetch(`${sandbox.systems.crm.url}/_otp?user=${user}`)).json()) as { code: string }).code;

  it('pauses for the code, asks again after a wrong one, and goes on once it is accepted', async () => {
    const prompts = createCodePrompts();
    const asked: CodeRequest[] = [];
    const typed: string[] = [];
    prompts.onChange((pending) => {
      for (const req of pending) {
        if (asked.some((a) => a.id === req.id)) continue;
        asked.push(req);
        void (async () => {
          const real = await phone();
          // First a mistyped code, then the right one.
          const code = req.attempt === 1 ? (real === '000000' ? '111111' : '000000') : real;
          typed.push(code);
          prompts.answer(req.id, code);
        })();
      }
    });
    const askCode = (req: { connectorId: string; connector: string; prompt: string; attempt: number }, signal?: AbortSignal) =>
      prompts.ask({ ...req, runId: 'run-1', stepId: 'crm_note', ticketId: 'helpdesk:1001' }, signal);

    const out = await pool.run(crm, steps, { askCode });
    expect(out).toEqual({ email: 'tobias.schneider@example.com' });
    expect(asked.map((a) => [a.connector, a.attempt, a.runId, a.stepId])).toEqual([
      ['CRM', 1, 'run-1', 'crm_note'],
      ['CRM', 2, 'run-1', 'crm_note'],
    ]);
    expect(asked[1]!.prompt).toBe('CRM did not accept that code; enter the current one.');
    expect(prompts.pending()).toEqual([]);
    // Nothing the UI hears of a request carries the code.
    expect(JSON.stringify(asked)).not.toContain(typed[1]!);

    // The session is kept: the next step signs in with no question at all.
    const again = await pool.run(crm, steps, {
      askCode: () => Promise.reject(new Error('asked again')),
    });
    expect(again.email).toBe('tobias.schneider@example.com');
  });

  it('without anyone to ask, stops with what to do instead', async () => {
    const err = await pool.run({ ...crm, id: 'crm-b' }, steps).catch((e: unknown) => e as TandemError);
    await vault.set(secretKey('crm-b', 'password'), CRM_2FA_CREDENTIALS.password);
    const err2 = await pool.run({ ...crm, id: 'crm-b' }, steps).catch((e: unknown) => e as TandemError);
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('credentials_missing');
    expect(err2).toMatchObject({ code: 'connector_auth', message: 'CRM asks for a one-time code, and nobody can be asked for it here.', hint: expect.stringContaining('Sign in to CRM by hand') });
  });

  it('hands the step over when the associate declines', async () => {
    await vault.set(secretKey('crm-c', 'password'), CRM_2FA_CREDENTIALS.password);
    const prompts = createCodePrompts();
    prompts.onChange((pending) => pending.forEach((p) => prompts.decline(p.id)));
    const err = await pool
      .run({ ...crm, id: 'crm-c' }, steps, { askCode: (req, signal) => prompts.ask({ ...req, runId: null, stepId: null, ticketId: null }, signal) })
      .catch((e: unknown) => e as TandemError);
    expect(err).toMatchObject({ code: 'connector_auth', message: "CRM's one-time code was not given; the step is yours." });
  });
});

describe('code prompts', () => {
  it('gives up after its time limit with a message that says what to do', async () => {
    const prompts = createCodePrompts({ timeoutMs: 1 });
    await expect(prompts.ask({ connectorId: 'crm', connector: 'CRM', prompt: 'p', attempt: 1, runId: null, stepId: null, ticketId: null })).rejects.toMatchObject({
      code: 'connector_auth',
      hint: expect.stringContaining('Run the step again'),
    });
    expect(prompts.pending()).toEqual([]);
  });

  it('stops waiting when the step is cancelled, and an answer after that reaches nobody', async () => {
    const prompts = createCodePrompts();
    const ac = new AbortController();
    const p = prompts.ask({ connectorId: 'crm', connector: 'CRM', prompt: 'p', attempt: 1, runId: 'r', stepId: 's', ticketId: 't' }, ac.signal);
    const [req] = prompts.pending();
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(prompts.answer(req!.id, '123456')).toBe(false);
  });
});
