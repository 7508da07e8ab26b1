// Review: the lead pages through overrides and escalations and turns one into a triage example.
import { create } from 'zustand';
import type { ReviewItem } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

export const PAGE = 10;

interface ReviewState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  items: ReviewItem[];
  total: number;
  offset: number;
  verdict: string;
  notice: string | null;
  load(offset?: number): Promise<void>;
  setVerdict(verdict: string): Promise<void>;
  addExample(item: ReviewItem, mapId: string, text: string): Promise<void>;
}

const asError = (err: unknown) => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useReview = create<ReviewState>((set, get) => ({
  status: 'loading',
  error: null,
  items: [],
  total: 0,
  offset: 0,
  verdict: '',
  notice: null,
  async load(offset = get().offset) {
    set({ status: get().items.length ? 'ready' : 'loading' });
    try {
      const verdict = get().verdict;
      const page = await call('review.list', { offset, limit: PAGE, ...(verdict ? { verdict: verdict as never } : {}) });
      set({ status: 'ready', items: page.items, total: page.total, offset, error: null });
    } catch (err) {
      set({ status: 'error', error: asError(err) });
    }
  },
  async setVerdict(verdict) {
    set({ verdict, offset: 0 });
    await get().load(0);
  },
  async addExample(item, mapId, text) {
    try {
      const r = await call('review.addExample', { decisionId: item.decisionId, mapId, text });
      set({ notice: r.added ? `“${r.text}” is now an example of ${r.mapId}; triage learned it.` : `${r.mapId} already has that example.`, error: null });
    } catch (err) {
      set({ error: asError(err) });
    }
  },
}));

api.on('decision.recorded', () => void useReview.getState().load());
