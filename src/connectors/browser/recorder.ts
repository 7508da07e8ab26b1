// Records a browser block: a signed-in page of the connector's own profile where a person does the task once, and the
// clicks and typing it reports turned into the block's actions. Password fields are never recorded.
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { TandemError } from '../../domain/errors.ts';
import type { Target } from './locate.ts';
import { RECORD_BINDING, RECORD_SCRIPT } from './record-script.ts';

export type RecordedAction = Record<string, unknown>;

export interface RecordingState {
  sessionId: string;
  connector: string;
  /** Where the page is now. */
  url: string;
  actions: RecordedAction[];
  /** What was seen but not recorded, in words (a password typed). */
  skipped: string[];
  open: boolean;
  /** Whether the browser has a window a person can see (a headless one needs TANDEM_BROWSER_HEADFUL=1 to show). */
  visible: boolean;
}

export interface Recorder {
  start(connectorId: string, path: string): Promise<RecordingState>;
  poll(sessionId: string): RecordingState;
  stop(sessionId: string): Promise<RecordingState>;
  close(): Promise<void>;
}

type PageEvent =
  | { kind: 'click' | 'check'; target: Target }
  | { kind: 'fill' | 'select'; target: Target; value: string }
  | { kind: 'password'; target: Target };

const sameTarget = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Adds one page event to the actions: typing into the same field again replaces the value, as the field itself does. */
export function addEvent(actions: RecordedAction[], skipped: string[], raw: unknown): void {
  const e = raw as PageEvent;
  if (!e || typeof e !== 'object' || !e.target || typeof e.target !== 'object') return;
  const target = cleanTarget(e.target);
  if (!target) return;
  const last = actions[actions.length - 1];
  switch (e.kind) {
    case 'password': {
      const what = `typing into the password field ${describe(target)} (passwords are never recorded; the connector signs in by itself)`;
      if (!skipped.includes(what)) skipped.push(what);
      return;
    }
    case 'fill':
    case 'select': {
      if (typeof e.value !== 'string') return;
      const prev = last && (last[e.kind] as { target?: unknown } | undefined);
      if (prev && sameTarget(prev.target, target)) {
        actions[actions.length - 1] = { [e.kind]: { target, value: e.value } };
        return;
      }
      actions.push({ [e.kind]: { target, value: e.value } });
      return;
    }
    case 'click':
    case 'check':
      actions.push({ [e.kind]: target });
      return;
  }
}

function cleanTarget(t: Target): Target | null {
  const out: Target = {};
  for (const key of ['role', 'name', 'label', 'text', 'placeholder', 'selector'] as const) {
    const v = t[key];
    if (typeof v === 'string' && v.trim() !== '') out[key] = v.trim().slice(0, 300);
  }
  return Object.keys(out).length > 0 ? out : null;
}

function describe(t: Target): string {
  if (t.label) return `“${t.label}”`;
  if (t.placeholder) return `“${t.placeholder}”`;
  return t.selector ?? t.name ?? '';
}

/** A recorder over a function that opens a signed-in page of a connector (the browser pool's). */
export function createRecorder(openPage: (connectorId: string, path: string) => Promise<{ page: Page; baseUrl: string }>, options: { visible: boolean }): Recorder {
  const sessions = new Map<string, { page: Page; state: RecordingState; baseUrl: string }>();

  function get(sessionId: string) {
    const s = sessions.get(sessionId);
    if (!s) throw new TandemError('not_found', 'That recording is over (stopped, or Tandem restarted).', { hint: 'Start the recording again.' });
    return s;
  }

  function snapshot(s: { page: Page; state: RecordingState; baseUrl: string }): RecordingState {
    let url = s.state.url;
    try {
      if (!s.page.isClosed()) url = s.page.url();
    } catch {
      // The page is gone; the last known address stands.
    }
    return { ...s.state, url, actions: s.state.actions.map((a) => ({ ...a })), skipped: [...s.state.skipped], open: !s.page.isClosed() };
  }

  return {
    async start(connectorId, path) {
      // One recording at a time: a page left open by a builder that went away is closed, not leaked.
      for (const [id, old] of sessions) {
        sessions.delete(id);
        await old.page.close({ runBeforeUnload: false }).catch(() => undefined);
      }
      const start = path.trim() === '' ? '/' : path.trim();
      const { page, baseUrl } = await openPage(connectorId, start);
      const sessionId = randomUUID();
      const state: RecordingState = { sessionId, connector: connectorId, url: page.url(), actions: [], skipped: [], open: true, visible: options.visible };
      // Recording starts only now, after Tandem signed in: its own login is never part of the block.
      const here = new URL(page.url());
      const base = new URL(baseUrl);
      const relativePath = here.origin === base.origin ? `${here.pathname}${here.search}` : start;
      state.actions.push({ goto: relativePath });
      await page.exposeBinding(RECORD_BINDING, (source, event: unknown) => {
        if (source.frame !== page.mainFrame()) return;
        addEvent(state.actions, state.skipped, event);
      });
      await page.addInitScript(RECORD_SCRIPT);
      await page.evaluate(RECORD_SCRIPT);
      await page.bringToFront().catch(() => undefined);
      sessions.set(sessionId, { page, state, baseUrl });
      return snapshot({ page, state, baseUrl });
    },
    poll(sessionId) {
      return snapshot(get(sessionId));
    },
    async stop(sessionId) {
      const s = get(sessionId);
      const result = snapshot(s);
      sessions.delete(sessionId);
      await Promise.race([s.page.close({ runBeforeUnload: false }).catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
      return { ...result, open: false };
    },
    async close() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((s) => s.page.close().catch(() => undefined)));
    },
  };
}
