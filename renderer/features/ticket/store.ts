// The open ticket: its detail, and the associate's verdict on its triage (one decision id per attempt, so retries never duplicate).
import { create } from 'zustand';
import type { TicketDetail, Verdict } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';
import { verdictKeyBlocked } from './arrival.ts';

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
  /** The ticket last reached with a key (J, K, Enter in the inbox): its verdict keys wait until it has been seen. */
  keyArrival: string | null;
  /** When the open ticket was first drawn; null while it opens. */
  shownAt: number | null;
  /** Why the last verdict key was ignored, shown until the next one acts or another ticket opens. */
  keyNote: string | null;
  open(id: string): Promise<void>;
  /** Reads the ticket again without resetting the view (after a step verdict). */
  refresh(): Promise<void>;
  /** Records the verdict on the reading `triageId`; refused when that is no longer the reading on screen. */
  decide(triageId: string, verdict: Verdict, finalIntent: string, reason?: string): Promise<boolean>;
  /** Says the associate is about to reach this ticket with a key (before the address changes). */
  arriveByKey(id: string): void;
  markShown(at: number): void;
  /** Whether a verdict key pressed now may act (see arrival.ts); when not, says why on screen. */
  allowVerdictKey(e: { repeat: boolean }, label: string, addressed: string | null): boolean;
}

/** A ticket opened this long after the key that asked for it was opened some other way. */
const KEY_TO_OPEN_MS = 2_000;
let keyPressedAt = 0;

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
  keyArrival: null,
  shownAt: null,
  keyNote: null,
  arriveByKey(id) {
    keyPressedAt = Date.now();
    set({ keyArrival: id });
  },
  markShown(at) {
    set({ shownAt: at });
  },
  allowVerdictKey(e, label, addressed) {
    const { detail, status, keyArrival, shownAt } = get();
    const onScreen = status === 'ready' && detail ? detail.ticket.id : null;
    const note = verdictKeyBlocked({ label, repeat: e.repeat, addressed, onScreen, keyArrival, shownAt, now: Date.now() });
    set({ keyNote: note });
    return note === null;
  },
  async open(id) {
    set((s) => ({
      id,
      status: 'loading',
      detail: null,
      error: null,
      decideError: null,
      openedAt: Date.now(),
      decisionId: crypto.randomUUID(),
      shownAt: null,
      keyNote: null,
      // Opened right after the key that asked for it; the same ticket opened later (say with the mouse) was not.
      keyArrival: s.keyArrival === id && Date.now() - keyPressedAt < KEY_TO_OPEN_MS ? id : null,
    }));
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
  async decide(triageId, verdict, finalIntent, reason) {
    const { detail, decisionId, openedAt, deciding } = get();
    if (!detail?.triage || detail.triage.id !== triageId || deciding) return false;
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
