// App-wide state: host info, workspace problems and the intents a triage can be overridden to.
import { create } from 'zustand';
import type { AppInfo, IntentInfo, Problem } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

export type Load<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; message: string; hint?: string | undefined };

interface AppState {
  info: Load<AppInfo>;
  intents: IntentInfo[];
  problems: Problem[];
  load(): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  info: { status: 'loading' },
  intents: [],
  problems: [],
  async load() {
    try {
      const [info, intents] = await Promise.all([call('app.info', {}), call('intents.list', {})]);
      set({ info: { status: 'ready', value: info }, intents, problems: info.workspace.problems });
    } catch (err) {
      set({ info: { status: 'error', message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
}));

// The workspace was reloaded (a file edited by hand, a map saved): its problems, and the intents a triage may be
// changed to, as they now are.
api.on('workspace.problems', ({ problems }) => {
  useAppStore.setState({ problems });
  void call('intents.list', {}).then(
    (intents) => useAppStore.setState({ intents }),
    () => undefined,
  );
});
