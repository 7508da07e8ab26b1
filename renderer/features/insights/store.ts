// Insights: the decisioning record's numbers for the lead.
import { create } from 'zustand';
import type { EventPayload, Stats, TimelinePoint } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

interface InsightsState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  stats: Stats | null;
  load(): Promise<void>;
  notice: string | null;
  promote(mapId: string, stepId: string, reason: string): Promise<void>;
  tab: 'overview' | 'trends' | 'review';
  setTab(tab: InsightsState['tab']): void;
  bucket: 'day' | 'week';
  timeline: TimelinePoint[] | null;
  loadTimeline(bucket?: 'day' | 'week'): Promise<void>;
  /** A demotion Tandem could not write to the map (the step still runs alone): shown until dismissed. */
  demotionFailure: EventPayload<'step.demoted'> | null;
  dismissedDemotions: string[];
  dismissDemotion(id: string): void;
}

export const useInsights = create<InsightsState>((set, get) => ({
  status: 'loading',
  error: null,
  stats: null,
  notice: null,
  tab: 'overview',
  setTab(tab) {
    set({ tab });
    if (tab === 'trends') void get().loadTimeline();
  },
  bucket: 'day',
  timeline: null,
  async loadTimeline(bucket = get().bucket) {
    try {
      set({ bucket, timeline: await call('stats.timeline', { bucket }), error: null });
    } catch (err) {
      set({ error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
  demotionFailure: null,
  dismissedDemotions: [],
  dismissDemotion(id) {
    set({ dismissedDemotions: [...get().dismissedDemotions, id] });
  },
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
// Tandem demoted a step after its automatic runs failed or were reverted: the banner comes from the record (stats.modeChanges); a
// demotion it could not write is only in the event, so it is kept here.
api.on('step.demoted', (e) => {
  if (e.error) useInsights.setState({ demotionFailure: e });
  void useInsights.getState().load();
});
api.on('run.changed', () => void useInsights.getState().load());
