// Browser connectors: drive a system's web UI as the associate, in a profile of its own, with the password from the vault.
// Credentials are typed only into pages of the connector's own origin; an expired session is logged in again once.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { TandemError } from '../../domain/errors.ts';
import type { SecretStore } from '../../vault/secret-store.ts';
import { secretKey } from '../http/http-client.ts';
import type { AskCode } from './code-prompts.ts';
import { describeTarget, locate, type Target } from './locate.ts';

export interface BrowserConnector {
  id: string;
  title: string;
  baseUrl: string;
  username?: string | undefined;
  /** Name of the password in the vault. */
  secret?: string | undefined;
  /** How to log in; the demo systems' forms by default. */
  login?: LoginRecipe | undefined;
}

export interface LoginRecipe {
  path: string;
  username: Target;
  password: Target;
  submit: Target;
  /** Two-step verification: the page that asks for a one-time code, its field and its button. */
  one_time_code?: { path: string; field: Target; submit: Target } | undefined;
}

export type BrowserAction =
  | { goto: string }
  | { fill: { target: Target; value: string; secret?: boolean } }
  | { click: Target }
  | { select: { target: Target; value: string } }
  | { check: Target }
  | { wait_for: Target }
  | { extract: { target: Target; into: string; attribute?: string } }
  | { screenshot: { name: string } };

/**
 * Where a connector's page comes from. By default Tandem launches Chromium with one persistent profile per
 * connector; the desktop app instead hands over the page of an embedded view the associate can see (cdp-host.ts).
 */
export interface PageHost {
  /** The page to drive for this connector. */
  page(connector: BrowserConnector): Promise<Page>;
  /** Embedded pages stay open between steps (the associate sees them); launched ones are closed after each step. */
  readonly keepsPages: boolean;
  close(): Promise<void>;
}

export interface BrowserPoolOptions {
  /** Drive these pages instead of launching Chromium (the embedded browser of the desktop app). */
  host?: PageHost;
  profilesDir: string;
  vault: SecretStore;
  executablePath?: string;
  headless?: boolean;
  /** How long one action may wait for its element. */
  actionTimeoutMs?: number;
  screenshotsDir?: string;
  /** Extra Chromium flags (a remote-debugging port lets the end-to-end tests act as the person recording). */
  extraArgs?: string[];
}

const ARGS = ['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--no-sandbox'];
const DEFAULT_LOGIN: LoginRecipe = {
  path: '/login',
  username: { label: 'Username' },
  password: { label: 'Password' },
  submit: { role: 'button', name: 'Sign in' },
  one_time_code: { path: '/login/code', field: { label: 'One-time code' }, submit: { role: 'button', name: 'Verify' } },
};
/** Fields a screenshot never shows: passwords and one-time codes. */
const MASKED = 'input[type=password], input[autocomplete=one-time-code]';
const CODE_ATTEMPTS = 3;

/** Types a secret without it passing through the library's logged fill(), so DEBUG logs never show it. */
async function typeSecret(page: Page, target: Target, value: string, timeout: number): Promise<void> {
  const el = locate(page, target).first();
  await el.waitFor({ timeout });
  await el.evaluate((node, v) => {
    // Runs in the page; typed structurally because the core is compiled without the DOM library.
    const input = node as unknown as { value: string; focus(): void; dispatchEvent(e: Event): boolean };
    input.focus();
    input.value = v;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0]!.slice(0, 300);
}

function redacted(err: unknown, secret: string): Error {
  return new Error(firstLine(err).split(secret).join('••••••'));
}

function describeAction(a: BrowserAction): string {
  if ('click' in a) return `click ${describeTarget(a.click)}`;
  if ('fill' in a) return `type into ${describeTarget(a.fill.target)}`;
  if ('select' in a) return `choose in ${describeTarget(a.select.target)}`;
  if ('check' in a) return `tick ${describeTarget(a.check)}`;
  return Object.keys(a)[0] ?? 'the last action';
}

export function createBrowserPool(options: BrowserPoolOptions) {
  const contexts = new Map<string, Promise<BrowserContext>>();
  const host: PageHost = options.host ?? {
    keepsPages: false,
    page: async (c) => (await context(c)).newPage(),
    close: async () => {
      const all = [...contexts.values()];
      contexts.clear();
      await Promise.all(all.map((p) => p.then((c) => c.close()).catch(() => undefined)));
    },
  };
  // One step at a time per connector: an embedded page is shared, and two steps typing into it would mix.
  const queues = new Map<string, Promise<unknown>>();

  function context(connector: BrowserConnector): Promise<BrowserContext> {
    let ctx = contexts.get(connector.id);
    if (!ctx) {
      // One persistent profile per connector: logins survive restarts and sessions of two systems never mix.
      const dir = join(options.profilesDir, connector.id);
      mkdirSync(dir, { recursive: true });
      ctx = chromium
        .launchPersistentContext(dir, {
          executablePath: options.executablePath ?? process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium',
          headless: options.headless ?? true,
          args: [...ARGS, ...(options.extraArgs ?? [])],
          viewport: { width: 1280, height: 860 },
        })
        .catch((err: unknown) => {
          contexts.delete(connector.id);
          throw new TandemError('connector_unreachable', `Tandem could not start a browser for ${connector.title}: ${(err as Error).message.split('\n')[0]}`, {
            hint: 'Install Chromium (apt-get install chromium) or set TANDEM_CHROMIUM to a Chrome/Chromium binary.',
          });
        });
      contexts.set(connector.id, ctx);
    }
    return ctx;
  }

  const origin = (c: BrowserConnector) => new URL(c.baseUrl).origin;
  const onLogin = (page: Page, c: BrowserConnector) => new URL(page.url()).origin === origin(c) && new URL(page.url()).pathname === (c.login ?? DEFAULT_LOGIN).path;
  const onCodePage = (page: Page, c: BrowserConnector) => {
    const otp = (c.login ?? DEFAULT_LOGIN).one_time_code;
    return Boolean(otp) && new URL(page.url()).origin === origin(c) && new URL(page.url()).pathname === otp!.path;
  };

  function guardOrigin(page: Page, c: BrowserConnector): void {
    const here = new URL(page.url());
    if (here.origin !== origin(c)) {
      throw new TandemError('connector_rejected', `${c.title} sent the browser to ${here.origin}, outside ${origin(c)}; Tandem stopped the step.`, {
        hint: 'Check the page by hand; if the system moved, update the connector’s address.',
      });
    }
  }

  async function logIn(page: Page, c: BrowserConnector, env: RunEnv): Promise<void> {
    const recipe = c.login ?? DEFAULT_LOGIN;
    guardOrigin(page, c); // a credential is only ever typed into the connector's own pages
    if (onCodePage(page, c)) return enterCode(page, c, env);
    if (!c.secret || !c.username) throw new TandemError('credentials_missing', `${c.title} asks to sign in, but its connector names no username and password.`, { hint: 'Add username and secret to the connector, then set the password in Settings → Connections.' });
    const password = await options.vault.get(secretKey(c.id, c.secret));
    if (password === undefined) throw new TandemError('credentials_missing', `No password is set for ${c.title}.`, { hint: `Set it in Settings → Connections → ${c.title}.` });
    try {
      await locate(page, recipe.username).fill(c.username, { timeout: options.actionTimeoutMs ?? 10_000 });
      await typeSecret(page, recipe.password, password, options.actionTimeoutMs ?? 10_000);
      await Promise.all([page.waitForLoadState('load'), locate(page, recipe.submit).click({ timeout: options.actionTimeoutMs ?? 10_000 })]);
    } catch (err) {
      // Never pass on the browser library's own message here: its call log can quote what was typed.
      throw new TandemError('connector_rejected', `${c.title}'s sign-in page did not look as expected (${new URL(page.url()).pathname}).`, {
        hint: 'Sign in by hand in the browser, or fix the connector’s login recipe.',
        cause: redacted(err, password),
      });
    }
    if (onLogin(page, c)) throw new TandemError('connector_auth', `${c.title} rejected the username or password.`, { hint: `Update them in Settings → Connections → ${c.title}.` });
    if (onCodePage(page, c)) await enterCode(page, c, env);
  }

  /** Two-step verification: the step pauses, the associate is asked, the code is typed into the page and nowhere else. */
  async function enterCode(page: Page, c: BrowserConnector, env: RunEnv): Promise<void> {
    const otp = (c.login ?? DEFAULT_LOGIN).one_time_code!;
    if (!env.askCode) {
      throw new TandemError('connector_auth', `${c.title} asks for a one-time code, and nobody can be asked for it here.`, {
        hint: `Sign in to ${c.title} by hand in Tandem's browser (the session is kept), then run the step again.`,
      });
    }
    const timeout = options.actionTimeoutMs ?? 10_000;
    for (let attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
      const prompt = attempt === 1 ? `${c.title} asks for the one-time code from your authenticator app.` : `${c.title} did not accept that code; enter the current one.`;
      const code = (await env.askCode({ connectorId: c.id, connector: c.title, prompt, attempt }, env.signal)).trim();
      guardOrigin(page, c);
      if (!onCodePage(page, c)) break; // signed in meanwhile (the associate typed it into the page themselves)
      try {
        await typeSecret(page, otp.field, code, timeout);
        await Promise.all([page.waitForLoadState('load'), locate(page, otp.submit).click({ timeout })]);
      } catch (err) {
        throw new TandemError('connector_rejected', `${c.title}'s one-time code page did not look as expected (${new URL(page.url()).pathname}).`, {
          hint: 'Enter the code by hand in the browser, or fix the connector’s login recipe.',
          cause: redacted(err, code),
        });
      }
      if (onLogin(page, c)) throw new TandemError('connector_auth', `${c.title} refused the one-time codes and asks to sign in again.`, { hint: 'Wait for a fresh code, then run the step again.' });
      if (!onCodePage(page, c)) return;
    }
    if (onCodePage(page, c)) throw new TandemError('connector_auth', `${c.title} did not accept ${CODE_ATTEMPTS} one-time codes.`, { hint: `Sign in to ${c.title} by hand, then run the step again.` });
  }

  async function perform(page: Page, c: BrowserConnector, action: BrowserAction, outputs: Record<string, unknown>, timeout: number): Promise<void> {
    if ('goto' in action) {
      const url = new URL(action.goto, c.baseUrl.endsWith('/') ? c.baseUrl : `${c.baseUrl}/`);
      if (url.origin !== origin(c)) throw new TandemError('bad_input', `A step tried to open ${url.origin}, outside ${c.title}.`);
      await page.goto(url.toString(), { waitUntil: 'load', timeout: Math.max(timeout, 30_000) });
      return;
    }
    const [target, run] = ((): [Target, () => Promise<void>] => {
      if ('fill' in action)
        return [action.fill.target, () => (action.fill.secret ? typeSecret(page, action.fill.target, action.fill.value, timeout) : locate(page, action.fill.target).fill(action.fill.value, { timeout }))];
      if ('click' in action) return [action.click, () => Promise.all([page.waitForLoadState('load'), locate(page, action.click).first().click({ timeout })]).then(() => undefined)];
      if ('select' in action) return [action.select.target, () => locate(page, action.select.target).selectOption(action.select.value, { timeout }).then(() => undefined)];
      if ('check' in action) return [action.check, () => locate(page, action.check).check({ timeout })];
      if ('wait_for' in action) return [action.wait_for, () => locate(page, action.wait_for).first().waitFor({ timeout })];
      if ('extract' in action)
        return [
          action.extract.target,
          async () => {
            const el = locate(page, action.extract.target).first();
            outputs[action.extract.into] = action.extract.attribute ? await el.getAttribute(action.extract.attribute, { timeout }) : (await el.innerText({ timeout })).trim();
          },
        ];
      return [
        { selector: 'body' },
        async () => {
          if (options.screenshotsDir) {
            mkdirSync(options.screenshotsDir, { recursive: true });
            // Masks password fields: a screenshot never shows what was typed into one.
            await page.screenshot({ path: join(options.screenshotsDir, `${c.id}-${action.screenshot.name}.png`), mask: [page.locator(MASKED)] });
          }
        },
      ];
    })();
    try {
      await run();
    } catch (err) {
      if (err instanceof TandemError) throw err;
      const message = (err as Error).message;
      if (/Timeout|waiting for/i.test(message)) {
        throw new TandemError('connector_rejected', `${c.title}: ${describeTarget(target)} was not found on ${new URL(page.url()).pathname}.`, {
          hint: 'The page may have changed. Do the step by hand (H), then fix the step’s target in the map.',
          screenshot: await snapshot(page, c, 'missing-element'),
        });
      }
      // Only the first line of the library's message: the rest is a call log that can quote typed values.
      throw new TandemError('connector_rejected', `${c.title}: ${firstLine(err)}`, { hint: 'Do the step by hand (H) and tell whoever keeps the map.' });
    }
  }

  /** A screenshot of where a step stopped, password fields masked; its file name, or undefined when none could be taken. */
  async function snapshot(page: Page, c: BrowserConnector, why: string): Promise<string | undefined> {
    if (!options.screenshotsDir) return undefined;
    try {
      mkdirSync(options.screenshotsDir, { recursive: true });
      const name = `${c.id}-${why}-${Date.now()}.png`;
      await page.screenshot({ path: join(options.screenshotsDir, name), mask: [page.locator(MASKED)], timeout: 5000 });
      return name;
    } catch {
      return undefined;
    }
  }

  return {
    run(c: BrowserConnector, actions: BrowserAction[], env: RunEnv = {}): Promise<Record<string, unknown>> {
      if (!host.keepsPages) return runOn(c, actions, env);
      const previous = queues.get(c.id) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => runOn(c, actions, env));
      queues.set(c.id, next);
      return next;
    },
    /** A page of the connector's own profile, signed in and at `path`: where a person records a browser block. */
    async openPage(c: BrowserConnector, path: string, env: RunEnv = {}): Promise<Page> {
      const page = await host.page(c);
      try {
        const timeout = options.actionTimeoutMs ?? 10_000;
        await perform(page, c, { goto: path }, {}, timeout);
        if (onLogin(page, c) || onCodePage(page, c)) {
          await logIn(page, c, env);
          await perform(page, c, { goto: path }, {}, timeout);
        }
        guardOrigin(page, c);
        return page;
      } catch (err) {
        if (!host.keepsPages) await page.close().catch(() => undefined);
        throw err;
      }
    },
    close: () => host.close(),
  };

  async function runOn(c: BrowserConnector, actions: BrowserAction[], env: RunEnv): Promise<Record<string, unknown>> {
    const page = await host.page(c);
    const timeout = options.actionTimeoutMs ?? 10_000;
    const outputs: Record<string, unknown> = {};
    let relogged = false;
    try {
      for (let i = 0; i < actions.length; i++) {
        if (env.signal?.aborted) throw new TandemError('cancelled', `The ${c.title} step was cancelled.`);
        const action = actions[i]!;
        await perform(page, c, action, outputs, timeout);
        if (!/^(about|data):/.test(page.url())) guardOrigin(page, c);
        if (onLogin(page, c) || onCodePage(page, c)) {
          if (!('goto' in action)) {
            // Signed out right after a click or a form: whether the system saved it cannot be known from here,
            // so nothing is done again behind the associate's back.
            throw new TandemError('connector_uncertain', `${c.title} signed Tandem out right after “${describeAction(action)}”; it may or may not have been saved.`, {
              hint: `Check in ${c.title} whether it happened, then mark the step done by hand (H) or run it again.`,
            });
          }
          // Not signed in yet, or the session expired on a page visit: sign in once, then visit it again.
          if (relogged) throw new TandemError('connector_auth', `${c.title} keeps asking to sign in.`, { hint: `Check the account in Settings → Connections → ${c.title}.` });
          relogged = true;
          await logIn(page, c, env);
          i -= 1;
        }
      }
      return outputs;
    } finally {
      // Closing a page in the middle of a navigation can hang in Chromium; never let that hold the step's answer.
      if (!host.keepsPages) await Promise.race([page.close({ runBeforeUnload: false }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    }
  }
}
export type BrowserPool = ReturnType<typeof createBrowserPool>;

export interface RunEnv {
  signal?: AbortSignal | undefined;
  /** Asks the associate for a one-time code when a sign-in wants one; without it such a sign-in stops with a clear error. */
  askCode?: AskCode | undefined;
}
