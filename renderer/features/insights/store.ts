// Insights: the decisioning record's numbers for the lead.
import { create } from 'zustand';
import type { Stats } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

interface InsightsState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  stats: Stats | null;
  load(): Promise<void>;
  notice: string | null;
  promote(mapId: string, stepId: string, reason: string): Promise<void>;
}

export const useInsights = create<InsightsState>((set) => ({
  status: 'loading',
  error: null,
  stats: null,
  notice: null,
  async promote(mapId, stepId, reason) {
    try {
      const r = await call('maps.setMode', { mapId, stepId, mode: 'auto', reason });
      set({ notice: `${mapId} · ${stepId} now runs automatically (map version ${r.version}); the promotion is in the record.` });
      await useInsights.getState().load();
    } catch (err) {
      set({ error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
  async load() {
    try {
      set({ status: 'ready', stats: await call('stats.get', {}), error: null });
    } catch (err) {
      set({ status: 'error', error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
}));

api.on('decision.recorded', () => void useInsights.getState().load());
api.on('run.changed', () => void useInsights.getState().load());
