// The inbox's state: the ticket list, the filter and the focused row; refreshed when the core says a ticket changed.
import { create } from 'zustand';
import type { TicketSummary } from '../../../src/contract/index.ts';
import { api, call, ApiError } from '../../api.ts';
import { overRead, withState, withTriageDecision, type HeardChange, type InboxFilter } from './selectors.ts';

interface InboxState {
  status: 'loading' | 'ready' | 'error';
  error: { message: string; hint?: string | undefined } | null;
  tickets: TicketSummary[];
  filter: InboxFilter;
  query: string;
  focused: number;
  refreshing: boolean;
  /** Sources that could not be read on the last refresh, with why. */
  sourceErrors: { source: string; message: string; hint?: string | undefined }[];
  load(): Promise<void>;
  refresh(): Promise<void>;
  setFilter(filter: InboxFilter): void;
  setQuery(query: string): void;
  focus(index: number): void;
}

/**
 * Changes heard from the core (a verdict, a new state) show at once. A read of the list already on its way may predate
 * them, so while reads are in flight each change is kept with the number of reads started before it, and applied again
 * over the answer of any read that started before it (one that started later has it from the core). An answer older
 * than the one on screen is dropped.
 */
let readsStarted = 0;
let readShown = 0;
let reading = 0;
let heard: HeardChange[] = [];

function patch(apply: HeardChange['apply']): void {
  if (reading > 0) heard.push({ after: readsStarted, apply });
  useInbox.setState((s) => ({ tickets: apply(s.tickets) }));
}

export const useInbox = create<InboxState>((set, get) => ({
  status: 'loading',
  error: null,
  tickets: [],
  filter: 'all',
  query: '',
  focused: 0,
  refreshing: false,
  sourceErrors: [],
  async refresh() {
    if (get().refreshing) return;
    set({ refreshing: true });
    try {
      const { sources } = await call('tickets.refresh', {});
      set({ sourceErrors: sources.flatMap((s) => (s.error ? [{ source: s.source, message: s.error.message, hint: s.error.hint }] : [])) });
      await get().load();
    } catch (err) {
      set({ sourceErrors: [{ source: 'all', message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined }] });
    } finally {
      set({ refreshing: false });
    }
  },
  async load() {
    if (get().tickets.length === 0) set({ status: 'loading' });
    const read = ++readsStarted;
    reading++;
    try {
      const listed = await call('tickets.list', {});
      if (read < readShown) return;
      readShown = read;
      const over = overRead(listed, heard, read);
      heard = over.heard;
      set({ status: 'ready', tickets: over.tickets, error: null });
    } catch (err) {
      if (read < readShown) return;
      set({ status: 'error', error: { message: (err as Error).message, hint: err instanceof ApiError ? err.hint : undefined } });
    } finally {
      if (--reading === 0) heard = [];
    }
  },
  setFilter: (filter) => set({ filter, focused: 0 }),
  setQuery: (query) => set({ query, focused: 0 }),
  focus: (index) => set({ focused: Math.max(0, index) }),
}));

api.on('ticket.changed', ({ ticketId, state }) => patch((tickets) => withState(tickets, ticketId, state)));

// A verdict on a triage (here or in another window): the row shows the intent the associate settled on.
api.on('decision.recorded', (d) => {
  if (d.kind === 'triage') patch((tickets) => withTriageDecision(tickets, d));
});

// A source read in the background (at start, or by another window) refreshes the list.
api.on('queue.synced', ({ source, imported, error }) => {
  useInbox.setState((s) => ({
    sourceErrors: [...s.sourceErrors.filter((e) => e.source !== source), ...(error ? [{ source, message: error.message, hint: error.hint }] : [])],
  }));
  if (imported > 0) void useInbox.getState().load();
});

// The model finished reading a ticket in the background: its intent and confidence in the list are new.
api.on('triage.progress', ({ pending, running }) => {
  if (pending + running === 0) void useInbox.getState().load();
});
