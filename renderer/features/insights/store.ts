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
  /** Promotes a step to auto with the lead's reason; true when it was. */
  promote(mapId: string, stepId: string, reason: string): Promise<boolean>;
  /** The step being promoted (`map/step`), while the change is written. */
  promoting: string | null;
  /** Why the last promotion did not happen, shown beside the step it concerns. */
  promoteError: { key: string; message: string; hint?: string | undefined } | null;
  clearPromoteError(): void;
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

/** Which load is the latest: an older one that answers late must not put back what a promotion just changed. */
let loads = 0;

export const promotionKey = (mapId: string, stepId: string) => `${mapId}/${stepId}`;

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
  promoting: null,
  promoteError: null,
  clearPromoteError() {
    set({ promoteError: null });
  },
  async promote(mapId, stepId, reason) {
    const key = promotionKey(mapId, stepId);
    if (get().promoting !== null) return false;
    set({ promoting: key, promoteError: null });
    try {
      const r = await call('maps.setMode', { mapId, stepId, mode: 'auto', reason: reason.trim() });
      // The step shows its new mode at once (a step in auto is not offered again); the reload brings the rest.
      const stats = get().stats;
      const steps = stats?.steps.map((s) => (s.mapId === mapId && s.stepId === stepId ? { ...s, mode: r.mode, graduation: { ...s.graduation, recommended: false, needed: null } } : s));
      set({ promoting: null, notice: `${mapId} · ${stepId} now runs automatically (map version ${r.version}); the promotion is in the record.`, ...(stats && steps ? { stats: { ...stats, steps } } : {}) });
      await get().load();
      return true;
    } catch (err) {
      set({ promoting: null, promoteError: { key, message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
      return false;
    }
  },
  async load() {
    const mine = ++loads;
    try {
      const stats = await call('stats.get', {});
      if (mine === loads) set({ status: 'ready', stats, error: null });
    } catch (err) {
      if (mine === loads) set({ status: 'error', error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
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
