// The lead's queue: escalated runs and steps waiting for an approval.
import { create } from 'zustand';
import type { Run, TicketSummary } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

interface EscalationsState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  runs: Run[];
  /** The tickets of those runs, by id: subject, customer and when they wrote. */
  tickets: Record<string, TicketSummary>;
  busy: string | null;
  load(): Promise<void>;
  approve(run: Run, stepId: string, approve: boolean, reason: string): Promise<void>;
  giveBack(run: Run, note: string): Promise<void>;
}

export const useEscalations = create<EscalationsState>((set, get) => ({
  status: 'loading',
  error: null,
  runs: [],
  tickets: {},
  busy: null,
  async load() {
    try {
      const [escalated, waiting, tickets] = await Promise.all([call('runs.list', { state: 'escalated' }), call('runs.list', { state: 'waiting' }), call('tickets.list', {})]);
      const approvals = waiting.filter((r) => r.steps.some((s) => s.state === 'awaiting_approval'));
      // Oldest first: the lead works the queue in the order it built up.
      const runs = [...approvals, ...escalated].sort((a, b) => a.updatedAt - b.updatedAt);
      set({ status: 'ready', runs, tickets: Object.fromEntries(tickets.map((t) => [t.id, t])), error: null });
    } catch (err) {
      set({ status: 'error', error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    }
  },
  async approve(run, stepId, approve, reason) {
    set({ busy: run.id });
    try {
      await call('runs.approve', { runId: run.id, stepId, decisionId: crypto.randomUUID(), approve, ...(reason.trim() ? { reason: reason.trim() } : {}) });
      await get().load();
    } catch (err) {
      set({ error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    } finally {
      set({ busy: null });
    }
  },
  async giveBack(run, note) {
    set({ busy: run.id });
    try {
      await call('runs.return', { runId: run.id, decisionId: crypto.randomUUID(), note });
      await get().load();
    } catch (err) {
      set({ error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    } finally {
      set({ busy: null });
    }
  },
}));

api.on('run.changed', () => void useEscalations.getState().load());
