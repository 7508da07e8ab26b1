// One-time codes (2FA) browser sign-ins are waiting for: listed from the core, kept fresh by its event, answered once.
import { create } from 'zustand';
import type { CodeRequest } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

interface CodesState {
  pending: CodeRequest[];
  busy: string | null;
  error: { message: string; hint?: string | undefined } | null;
  load(): Promise<void>;
  /** Subscribes to the core's event; returns the unsubscribe. */
  watch(): () => void;
  /** The code goes to the core and from there into the page; the store never keeps it. */
  send(id: string, code: string): Promise<void>;
  decline(id: string): Promise<void>;
  /** Desktop app only: the connector whose page is shown beside Tandem, or null. */
  shownView: string | null;
  view(connectorId: string | null): Promise<void>;
}

const asInfo = (err: unknown) => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useCodes = create<CodesState>((set, get) => ({
  pending: [],
  busy: null,
  shownView: null,
  async view(connectorId) {
    try {
      const { shown } = await call('browser.view', { connectorId });
      set({ shownView: shown, error: null });
    } catch (err) {
      set({ error: asInfo(err) });
    }
  },
  error: null,
  async load() {
    try {
      set({ pending: await call('browser.codes', {}), error: null });
    } catch (err) {
      set({ error: asInfo(err) });
    }
  },
  watch() {
    void get().load();
    return api.on('browser.codes', ({ pending }) => set({ pending }));
  },
  async send(id, code) {
    set({ busy: id, error: null });
    try {
      const { delivered } = await call('browser.code', { id, code });
      if (!delivered) set({ error: { message: 'That sign-in no longer waits for a code.', hint: 'It was answered, cancelled or timed out; look at the step.' } });
    } catch (err) {
      set({ error: asInfo(err) });
    } finally {
      set({ busy: null });
    }
  },
  async decline(id) {
    set({ busy: id, error: null });
    try {
      await call('browser.code', { id, decline: true });
    } catch (err) {
      set({ error: asInfo(err) });
    } finally {
      set({ busy: null });
    }
  },
}));
