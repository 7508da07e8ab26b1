// The open ticket: its detail, and the associate's verdict on its triage (one decision id per attempt, so retries never duplicate).
import { create } from 'zustand';
import type { TicketDetail, Verdict } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';

type ErrorInfo = { message: string; hint?: string | undefined };

interface TicketState {
  id: string | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  detail: TicketDetail | null;
  error: ErrorInfo | null;
  openedAt: number;
  decisionId: string;
  deciding: boolean;
  decideError: ErrorInfo | null;
  open(id: string): Promise<void>;
  /** Reads the ticket again without resetting the view (after a step verdict). */
  refresh(): Promise<void>;
  decide(verdict: Verdict, finalIntent: string, reason?: string): Promise<boolean>;
}

const asInfo = (err: unknown): ErrorInfo => ({ message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined });

export const useTicket = create<TicketState>((set, get) => ({
  id: null,
  status: 'idle',
  detail: null,
  error: null,
  openedAt: 0,
  decisionId: '',
  deciding: false,
  decideError: null,
  async open(id) {
    set({ id, status: 'loading', detail: null, error: null, decideError: null, openedAt: Date.now(), decisionId: crypto.randomUUID() });
    try {
      const detail = await call('tickets.get', { id });
      if (get().id === id) set({ status: 'ready', detail });
    } catch (err) {
      if (get().id === id) set({ status: 'error', error: asInfo(err) });
    }
  },
  async refresh() {
    const { id } = get();
    if (!id) return;
    try {
      const detail = await call('tickets.get', { id });
      if (get().id === id) set({ detail });
    } catch {
      // The view keeps what it shows; the next action reports the problem.
    }
  },
  async decide(verdict, finalIntent, reason) {
    const { detail, decisionId, openedAt, deciding } = get();
    if (!detail?.triage || deciding) return false;
    set({ deciding: true, decideError: null });
    try {
      await call('triage.decide', {
        decisionId,
        ticketId: detail.ticket.id,
        triageId: detail.triage.id,
        verdict,
        finalIntent,
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
        decisionMs: Math.max(0, Date.now() - openedAt),
      });
      const fresh = await call('tickets.get', { id: detail.ticket.id });
      set({ deciding: false, detail: fresh, decisionId: crypto.randomUUID() });
      return true;
    } catch (err) {
      set({ deciding: false, decideError: asInfo(err) });
      return false;
    }
  },
}));

api.on('decision.recorded', (d) => {
  const { detail } = useTicket.getState();
  if (detail && detail.ticket.id === d.ticketId && !detail.decisions.some((x) => x.id === d.id)) {
    useTicket.setState({ detail: { ...detail, decisions: [d, ...detail.decisions] } });
  }
});
