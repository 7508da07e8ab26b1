// The background triage queue as the inbox sees it: how many tickets the model has read, and any notice (429, outage).
import { create } from 'zustand';
import type { TriageProgress } from '../../../src/contract/index.ts';
import { api, call } from '../../api.ts';

interface ProgressState {
  progress: (TriageProgress & { model: string }) | null;
  load(): Promise<void>;
}

export const useTriageProgress = create<ProgressState>((set) => ({
  progress: null,
  async load() {
    try {
      const s = await call('triage.status', {});
      set({ progress: { ...s.queue, model: s.model } });
    } catch {
      // The bar is a convenience: without it the inbox still works, and the next event fills it in.
    }
  },
}));

api.on('triage.progress', (p) => useTriageProgress.setState({ progress: p }));
