// Settings → Connections: which secrets are set, saving a new one (sent once, never read back), deleting, testing.
import { create } from 'zustand';
import type { Connection } from '../../../src/contract/index.ts';
import { call, ApiError } from '../../api.ts';

type ErrorInfo = { message: string; hint?: string | undefined };

interface SettingsState {
  status: 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  connections: Connection[];
  busy: string | null;
  load(): Promise<void>;
  setSecret(connectorId: string, name: string, value: string): Promise<boolean>;
  deleteSecret(connectorId: string, name: string): Promise<void>;
  test(connectorId: string): Promise<void>;
}

const asInfo = (err: unknown): ErrorInfo => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useSettings = create<SettingsState>((set, get) => {
  const replace = (c: Connection) => set({ connections: get().connections.map((x) => (x.id === c.id ? c : x)) });
  async function act(id: string, work: () => Promise<Connection>): Promise<boolean> {
    set({ busy: id, error: null });
    try {
      replace(await work());
      return true;
    } catch (err) {
      set({ error: asInfo(err) });
      return false;
    } finally {
      set({ busy: null });
    }
  }
  return {
    status: 'loading',
    error: null,
    connections: [],
    busy: null,
    async load() {
      try {
        set({ status: 'ready', connections: await call('connections.list', {}), error: null });
      } catch (err) {
        set({ status: 'error', error: asInfo(err) });
      }
    },
    setSecret: (connectorId, name, value) => act(connectorId, () => call('connections.setSecret', { connectorId, name, value })),
    deleteSecret: async (connectorId, name) => void (await act(connectorId, () => call('connections.deleteSecret', { connectorId, name }))),
    test: async (connectorId) => void (await act(connectorId, () => call('connections.test', { connectorId }))),
  };
});
